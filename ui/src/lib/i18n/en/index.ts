// The English catalog: complete by definition. One JSON file per area; add
// yours with one import line and one entry below.
import common from "./common.json";
import tray from "./tray.json";

export const en = {
  common,
  tray,
};
