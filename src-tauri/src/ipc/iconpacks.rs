//! Icon packs as the page sees them (issue 19 point 4): the packs imported (name, version, icon count), a pack
//! icon named by its pack's uuid and its number, the outcome of an import (a refusal carries a code and a detail
//! the page words in the person's language). Pictures travel separately, as `data:` PNG URLs.

use serde::Serialize;
use ts_rs::TS;
use twofold_core::iconpack::store::StoredPack;

use crate::text::Text;

/// An imported pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct IconPackView {
    pub uuid: String,
    pub name: String,
    pub version: u32,
    pub icons: u32,
}

impl From<&StoredPack> for IconPackView {
    fn from(pack: &StoredPack) -> Self {
        Self {
            uuid: pack.uuid.to_string(),
            name: pack.name.clone(),
            version: pack.version,
            icons: u32::try_from(pack.icons.len()).unwrap_or(u32::MAX),
        }
    }
}

/// One icon of an imported pack, for the picker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PackIconView {
    /// The pack's uuid.
    pub pack: String,
    pub pack_name: String,
    /// The icon's number in its pack.
    pub id: u32,
    pub name: String,
    /// Its issuer list matches the account's issuer (these come first).
    pub matches: bool,
}

/// The pack icon an account without its own picture shows (its issuer equals one of the icon's issuers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AccountPackIcon {
    pub account: String,
    pub pack: String,
    pub id: u32,
}

/// What importing a pack came to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "outcome", rename_all = "camelCase")]
#[ts(export)]
pub enum IconPackImport {
    /// Imported; `replaced` is the version it replaced (the same uuid was there).
    Imported {
        pack: IconPackView,
        #[ts(optional)]
        #[serde(skip_serializing_if = "Option::is_none")]
        replaced: Option<u32>,
    },
    /// The chooser was cancelled.
    Cancelled,
    /// The file is not a pack we accept: `reason` is the core's code (`bomb`, `unsafeName`, …), `detail` the
    /// exact problem (entry names, sizes) for the page to word beneath its sentence for the code.
    Refused { reason: String, detail: Text },
}
