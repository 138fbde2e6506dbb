import { t } from "./i18n";

/** The one name an account goes by wherever a single name is shown (a card's title, the Edit page, the delete
 * question, the quick switcher, the QR code's description, toasts): the service, else the account name, else
 * "Unnamed account". An account without a name but with a service is told apart by that service. */
export function accountTitle(account: { issuer: string; name: string }): string {
  return account.issuer.trim() || account.name.trim() || t("common.unnamed");
}
