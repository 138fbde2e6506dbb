// The English catalog: complete by definition. One JSON file per area; add
// yours with one import line and one entry below.
import common from "./common.json";
import app from "./app.json";
import unlock from "./unlock.json";
import create from "./create.json";
import list from "./list.json";
import card from "./card.json";
import add from "./add.json";
import scan from "./scan.json";
import importPage from "./import.json";
import backups from "./backups.json";
import settings from "./settings.json";
import edit from "./edit.json";
import qr from "./qr.json";
import clock from "./clock.json";
import errors from "./errors.json";
import switcher from "./switcher.json";
import tray from "./tray.json";
import shortcuts from "./shortcuts.json";
import password from "./password.json";
import files from "./files.json";
import view from "./view.json";
import keyring from "./keyring.json";
import follow from "./follow.json";
import sync from "./sync.json";
import webdav from "./webdav.json";
import language from "./language.json";
import iconpacks from "./iconpacks.json";
import detail from "./detail.json";

export const en = {
  common,
  app,
  unlock,
  create,
  list,
  card,
  add,
  scan,
  import: importPage,
  backups,
  settings,
  edit,
  qr,
  clock,
  errors,
  switcher,
  tray,
  shortcuts,
  password,
  files,
  view,
  keyring,
  follow,
  sync,
  webdav,
  language,
  iconpacks,
  detail,
};
