// The matcher on the real Simple Icons data, over issuers as services and other apps' exports write them.
import { describe, expect, it } from "vitest";
import data from "simple-icons/icons.json";
import { buildPack } from "../../../scripts/icon-pack.mjs";
import { ABSENT_TARGETS, ALIASES } from "./aliases";
import { buildIndex, iconKey, matchIcon, type IndexEntry } from "./match";

const pack = buildPack(data as unknown[], new Map((data as { slug: string }[]).map((i) => [i.slug, "M0 0h24v24H0z"])));
const index = buildIndex(pack.index as IndexEntry[]);

// [issuer, account name, expected slug or null (the initial)]. Issuers from the peer fixtures
// (/work/shared/fixtures/peers: Aegis, 2FAS, Ente, Bitwarden, Proton, Stratum, WinAuth, …) and from the
// otpauth links services hand out.
const TABLE: [string, string, string | null][] = [
  // As the peer fixtures write them.
  ["Deno", "Mason", "deno"],
  ["SPDX", "James", "spdx"],
  ["Airbnb", "Elijah", "airbnb"],
  ["Issuu", "James", "issuu"],
  ["Air Canada", "Benjamin", "aircanada"],
  ["WWE", "Mason", "wwe"],
  ["Boeing", "Sophia", "boeing"],
  ["Battle.net", "", "battledotnet"],
  ["Steam", "steam@example.com", "steam"],
  ["steam", "", "steam"],
  ["Blizzard", "", "battledotnet"],
  ["Amazon", "alice", null],
  ["Facebook", "alice", "facebook"],
  ["Instagram", "alice", "instagram"],
  ["PayPal", "alice@example.com", "paypal"],
  ["Slack", "team", null],
  ["DigitalOcean", "alice", "digitalocean"],
  ["Microsoft", "alice@outlook.com", null],
  ["Epic Games", "alice", "epicgames"],
  ["GitHub", "alice", "github"],
  ["Dropbox", "alice", "dropbox"],
  ["Twitter", "@alice", "x"],
  ["Google", "alice@gmail.com", "google"],
  ["Discord", "alice", "discord"],
  ["Proton", "alice@proton.me", "proton"],
  ["LinkedIn", "alice", null],
  ["Binance", "alice", "binance"],
  ["Kick", "alice", "kick"],
  ["Reddit", "alice", "reddit"],
  ["reddit", "", "reddit"],
  ["raspberrypi", "pi", "raspberrypi"],
  [".env", "", "dotenv"],
  ["ente", "", "ente"],
  ["Yandex", "alice", null],
  ["Company VPN", "alice", null],
  ["HOTP example", "", null],
  ["Test Steam", "", null],
  ["Unknown", "", null],
  ["myissuer", "", null],
  ["Item1", "", null],
  ["Code1 2FAS", "", null],
  ["ISSUER_DEFAULT", "", null],
  ["SerenityLabs", "", null],
  ["", "NoIssuer", null],
  // As services write them in otpauth:// links.
  ["GitLab", "gitlab.com:alice", "gitlab"],
  ["gitlab.com", "alice", "gitlab"],
  ["Bitbucket", "alice", "bitbucket"],
  ["Atlassian", "alice@example.com", "atlassian"],
  ["npm", "alice", "npm"],
  ["PyPI", "alice", "pypi"],
  ["RubyGems.org", "alice", "rubygems"],
  ["Docker", "alice", "docker"],
  ["Docker Hub", "alice", "docker"],
  ["Cloudflare", "alice@example.com", "cloudflare"],
  ["Vercel", "alice", "vercel"],
  ["Netlify", "alice", "netlify"],
  ["Hetzner", "alice", "hetzner"],
  ["Hetzner Cloud", "alice", "hetzner"],
  ["OVHcloud", "alice", "ovh"],
  ["Namecheap", "alice", "namecheap"],
  ["GoDaddy", "alice", "godaddy"],
  ["Porkbun", "alice", "porkbun"],
  ["Coinbase", "alice@example.com", "coinbase"],
  ["KuCoin", "alice", "kucoin"],
  ["OKX", "alice", "okx"],
  ["Crypto.com", "alice", null],
  ["Stripe", "alice@example.com", "stripe"],
  ["Wise", "alice", "wise"],
  ["Revolut", "alice", "revolut"],
  ["N26", "alice", "n26"],
  ["Monzo", "alice", "monzo"],
  ["Robinhood", "alice", "robinhood"],
  ["WhatsApp", "+44 7700 900123", "whatsapp"],
  ["Meta", "alice", "meta"],
  ["TikTok", "alice", "tiktok"],
  ["Snapchat", "alice", "snapchat"],
  ["Pinterest", "alice", "pinterest"],
  ["Tumblr", "alice", "tumblr"],
  ["Mastodon", "@alice@mastodon.social", "mastodon"],
  ["mastodon.social", "alice", "mastodon"],
  ["Bluesky", "alice.bsky.social", "bluesky"],
  ["Proton Mail", "alice@proton.me", "protonmail"],
  ["ProtonMail", "alice@protonmail.com", "protonmail"],
  ["Zoho", "alice", "zoho"],
  ["Apple", "alice@icloud.com", "apple"],
  ["Apple ID", "alice", "apple"],
  ["PlayStation Network", "alice", "playstation"],
  ["Sony", "alice", "sony"],
  ["Roblox", "alice", "roblox"],
  ["Riot Games", "alice", "riotgames"],
  ["Ubisoft", "alice", "ubisoft"],
  ["Ubisoft Connect", "alice", "ubisoft"],
  ["EA", "alice", "ea"],
  ["Electronic Arts", "alice", "ea"],
  ["GOG.com", "alice", "gogdotcom"],
  ["Humble Bundle", "alice", "humblebundle"],
  ["itch.io", "alice", "itchdotio"],
  ["WordPress.com", "alice", "wordpress"],
  ["Shopify", "alice@example.com", "shopify"],
  ["Squarespace", "alice", "squarespace"],
  ["Wix", "alice", "wix"],
  ["Box", "alice", "box"],
  ["MEGA", "alice", "mega"],
  ["Nextcloud", "alice@cloud.example.com", "nextcloud"],
  ["Bitwarden", "alice", "bitwarden"],
  ["1Password", "alice", "1password"],
  ["LastPass", "alice", "lastpass"],
  ["Dashlane", "alice", "dashlane"],
  ["Okta", "alice", "okta"],
  ["Sentry", "alice", "sentry"],
  ["Datadog", "alice", "datadog"],
  ["New Relic", "alice", "newrelic"],
  ["Grafana Cloud", "alice", "grafana"],
  ["HashiCorp Cloud Platform", "alice", "hashicorp"],
  ["Mailchimp", "alice", "mailchimp"],
  ["Zendesk", "alice", "zendesk"],
  ["HubSpot", "alice", "hubspot"],
  ["Trello", "alice", "trello"],
  ["Asana", "alice", "asana"],
  ["Notion", "alice", "notion"],
  ["Figma", "alice", "figma"],
  ["Uber", "alice", "uber"],
  ["Tesla", "alice", "tesla"],
  ["Evernote", "alice", "evernote"],
  ["Telegram", "alice", "telegram"],
  ["Patreon", "alice", "patreon"],
  ["Ko-fi", "alice", "kofi"],
  ["Hugging Face", "alice", "huggingface"],
  ["Synology", "admin", "synology"],
  ["Tailscale", "alice@github", "tailscale"],
  ["Mullvad", "1234", "mullvad"],
  ["Kickstarter", "alice", "kickstarter"],
  ["Twitch", "alice", "twitch"],
  ["YouTube", "alice", "youtube"],
  ["Gmail", "alice@gmail.com", "gmail"],
  ["Google Mail", "alice", "gmail"],
  ["Google Cloud", "alice@example.com", "googlecloud"],
  ["Google Account", "alice", "google"],
  ["Firebase", "alice", "firebase"],
  // Normalising: case, spaces, punctuation, accents.
  ["GITHUB", "", "github"],
  ["git hub", "", "github"],
  ["Git-Hub", "", "github"],
  ["  GitHub  ", "", "github"],
  ["Ñetflix", "", "netflix"],
  ["Dígital Ocean", "", "digitalocean"],
  // A domain in the issuer or in the account name.
  ["accounts.google.com", "alice", "google"],
  ["www.github.com", "", "github"],
  ["https://gitlab.example.org", "", "gitlab"],
  ["", "alice@github.com", "github"],
  ["", "alice@gitlab.com", "gitlab"],
  ["Company", "alice@dropbox.com", "dropbox"],
  ["", "bob@proton.me", "proton"],
  // Leading words.
  ["GitHub Enterprise Server", "alice", "github"],
  ["Epic Games Store", "alice", "epicgames"],
  ["Steam Guard", "alice", "steam"],
  ["Discord (work)", "alice", "discord"],
  ["Coinbase: trading", "alice", "coinbase"],
  ["Nintendo Switch", "alice", null],
  // Microsoft's brands (the package has none of their logos today).
  ["Outlook", "alice@outlook.com", null],
  ["Azure", "alice", null],
  ["Xbox Live", "alice", null],
  // An issuer-less account named like a service.
  ["", "GitHub", "github"],
];

describe("matchIcon", () => {
  it("has a table of at least 100 issuers", () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(100);
  });

  it.each(TABLE)("%j (%j) → %j", (issuer, name, expected) => {
    expect(matchIcon(index, issuer, name)?.[0] ?? null).toBe(expected);
  });
});

describe("iconKey", () => {
  it("folds case, spaces, punctuation and accents like the package's slugs", () => {
    expect(iconKey("Proton Mail")).toBe("protonmail");
    expect(iconKey("Zürich Bank")).toBe("zurichbank");
    expect(iconKey("C++")).toBe("cplusplus");
    expect(iconKey("AT&T")).toBe("atandt");
  });
});

describe("the alias table", () => {
  it("points at icons of the pack, or at the few the package removed", () => {
    const missing = Object.values(ALIASES).filter((slug) => !index.bySlug.has(slug) && !ABSENT_TARGETS.has(slug));
    expect(missing).toEqual([]);
  });
});
