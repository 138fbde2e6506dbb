/**
 * Names services go by that are not the pack's title for them, mapped to the slug of the icon to show.
 * Keys are written as people type them and folded with `iconKey` when the index is built.
 *
 * A slug the pack lacks is kept on purpose: Simple Icons removed Microsoft's, Amazon's, LinkedIn's and Slack's
 * logos at those companies' request, so "Outlook" or "Azure" find no icon today (they show their initial) and
 * will find Microsoft's again if a later package brings it back.
 */
export const ALIASES: Readonly<Record<string, string>> = {
  // Google's own products have their own icons where the package has one; the account itself is Google's.
  "Google Mail": "gmail",
  "Google Account": "google",
  "Google Accounts": "google",
  "Google LLC": "google",
  "Google Workspace": "google",
  "G Suite": "google",
  "YouTube Studio": "youtube",
  "Firebase Console": "firebase",
  // Microsoft's services, as the package would name them.
  Outlook: "microsoft",
  "Outlook.com": "microsoft",
  Hotmail: "microsoft",
  "Live.com": "microsoft",
  "Microsoft Account": "microsoft",
  "Microsoft 365": "microsoft",
  "Office 365": "microsoft",
  Azure: "microsoft",
  "Microsoft Azure": "microsoft",
  "Azure AD": "microsoft",
  "Entra ID": "microsoft",
  Xbox: "microsoft",
  "Xbox Live": "microsoft",
  OneDrive: "microsoft",
  Skype: "microsoft",
  // Renamed or folded brands.
  Twitter: "x",
  "Twitter, Inc.": "x",
  "X Corp": "x",
  "Battle.net": "battledotnet",
  Blizzard: "battledotnet",
  "Blizzard Entertainment": "battledotnet",
  "Electronic Arts": "ea",
  "EA Account": "ea",
  Origin: "ea",
  Uplay: "ubisoft",
  "Ubisoft Connect": "ubisoft",
  "Riot Games": "riotgames",
  "League of Legends": "riotgames",
  "Sony Interactive Entertainment": "playstation",
  "PlayStation Network": "playstation",
  PSN: "playstation",
  "Steam Guard": "steam",
  Valve: "steam",
  "Proton AG": "proton",
  ProtonMail: "protonmail",
  "Proton Account": "proton",
  "Apple ID": "apple",
  "Apple Account": "apple",
  OVHcloud: "ovh",
  "GOG.com": "gogdotcom",
  GOG: "gogdotcom",
  "Meta Platforms": "meta",
  "Facebook Business": "facebook",
  "Epic Games Store": "epicgames",
  "Hugging Face": "huggingface",
  "Docker Hub": "docker",
  npmjs: "npm",
  "PyPI.org": "pypi",
  "GitHub Enterprise": "github",
  "Atlassian Cloud": "atlassian",
  "Jira Cloud": "jira",
  "Amazon Web Services": "amazonwebservices",
  AWS: "amazonwebservices",
  "Amazon.com": "amazon",
};

/** Alias targets the package lacks today (see above); any other target must be a slug of the pack. */
export const ABSENT_TARGETS: ReadonlySet<string> = new Set(["microsoft", "amazon", "amazonwebservices"]);
