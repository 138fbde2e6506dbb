import { t } from "./i18n";

/** The one name an account goes by wherever a single name is shown (a card's title, the Edit page, the delete
 * question, the quick switcher, the QR code's description, toasts): the service, else the account name, else
 * "Unnamed account". An account without a name but with a service is told apart by that service. */
export function accountTitle(account: { issuer: string; name: string }): string {
  return account.issuer.trim() || account.name.trim() || t("common.unnamed");
}

/** An account's label as the shell sends it ("Issuer (name)"), or "Unnamed account" when it is empty: the
 * shell leaves an unnamed account's label empty for the UI to word. */
export function shownName(label: string): string {
  return label || t("common.unnamed");
}

/** Several such labels, as one list. */
export function nameList(labels: readonly string[]): string {
  return labels.map(shownName).join(t("common.listSeparator"));
}
