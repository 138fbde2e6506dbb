import { t } from "./i18n";

/** Every keyboard shortcut the app has, for the "Keyboard shortcuts" sheet (`?`). The keys themselves live in
 * `App.svelte` (window-wide), `AccountList.svelte` (search box, cards) and `QuickSwitcher.svelte`: a shortcut
 * added there belongs here too. `global` is the quick switcher's desktop-wide shortcut, when one is set. */
export function shortcutSections(global?: string): Array<{ title: string; rows: Array<{ keys: string; action: string }> }> {
  return [
    {
      title: t("shortcuts.sectionEverywhere"),
      rows: [
        { keys: t("shortcuts.keysSwitcher"), action: t("shortcuts.switcher") },
        ...(global ? [{ keys: global, action: t("shortcuts.globalSwitcher") }] : []),
        { keys: t("shortcuts.keysLock"), action: t("shortcuts.lock") },
        { keys: t("shortcuts.keysImport"), action: t("shortcuts.import") },
        { keys: t("shortcuts.keysHelp"), action: t("shortcuts.help") },
        { keys: t("shortcuts.keysEscape"), action: t("shortcuts.back") },
      ],
    },
    {
      title: t("shortcuts.sectionList"),
      rows: [
        { keys: t("shortcuts.keysSearch"), action: t("shortcuts.search") },
        { keys: t("shortcuts.keysEnter"), action: t("shortcuts.copyFirst") },
        { keys: t("shortcuts.keysDown"), action: t("shortcuts.toCards") },
        { keys: t("shortcuts.keysEscape"), action: t("shortcuts.clearSearch") },
        { keys: t("shortcuts.keysEnterCard"), action: t("shortcuts.copy") },
        { keys: t("shortcuts.keysMove"), action: t("shortcuts.move") },
      ],
    },
    {
      title: t("shortcuts.sectionSwitcher"),
      rows: [
        { keys: t("shortcuts.keysUpDown"), action: t("shortcuts.choose") },
        { keys: t("shortcuts.keysEnter"), action: t("shortcuts.copyHide") },
        { keys: t("shortcuts.keysEscape"), action: t("shortcuts.closeSwitcher") },
      ],
    },
  ];
}
