//! Google Authenticator transfer QR codes ("Transfer accounts → Import accounts" on the phone).
//!
//! Spec: the `otpauth-migration://offline?data=…` payload, written by [`crate::migration::encode`] (at most
//! [`crate::migration::MAX_ACCOUNTS_PER_LINK`] accounts per code, one batch id shared by all codes). Each
//! link is drawn as a QR code (SVG, and PNG on request) and decoded back, then its payload is decoded back
//! to the same accounts, before the codes are handed out.
//!
//! Lost: Google Authenticator carries only 6 or 8 digits, SHA-1/256/512 and 30-second TOTP (or HOTP);
//! Steam accounts and other periods or digit counts cannot travel and are listed in
//! [`Transfer::skipped`], never dropped silently. Groups, notes, favourites and recovery codes are lost too.

use zeroize::Zeroizing;

use super::qr::{QrMatrix, html_escape};
use super::{ExportError, Mismatch, PlaintextAck, Skipped};
use crate::migration;
use crate::model::{Account, AccountId};

/// One QR code of a transfer, to be shown and scanned in turn.
#[derive(Debug)]
pub struct TransferCode {
    /// Position in the batch, from 0.
    pub index: usize,
    /// How many codes the batch has.
    pub total: usize,
    /// The `otpauth-migration://` link the code holds (secrets inside).
    pub link: Zeroizing<String>,
    /// The accounts in this code, in order.
    pub accounts: Vec<AccountId>,
    qr: QrMatrix,
}

impl TransferCode {
    /// The code as a standalone SVG, `px` CSS pixels per side.
    pub fn svg(&self, px: u32) -> Zeroizing<String> {
        self.qr.to_svg(px, &format!("Google Authenticator transfer code {} of {}", self.index + 1, self.total))
    }

    /// The code as a greyscale PNG, `scale` pixels per module.
    pub fn png(&self, scale: u32) -> Result<Zeroizing<Vec<u8>>, ExportError> {
        self.qr.to_png(scale)
    }

    /// The module matrix.
    pub fn matrix(&self) -> &QrMatrix {
        &self.qr
    }
}

/// A verified set of transfer codes.
#[derive(Debug)]
pub struct Transfer {
    pub codes: Vec<TransferCode>,
    /// Accounts Google Authenticator cannot take, with the reason.
    pub skipped: Vec<Skipped>,
}

/// Splits `accounts` into transfer codes, draws each and reads it back. Fails when no account can travel.
pub fn google_transfer(accounts: &[Account], _ack: PlaintextAck) -> Result<Transfer, ExportError> {
    let mut batch_id = [0u8; 4];
    getrandom::fill(&mut batch_id).map_err(|_| ExportError::Random)?;
    // A positive id, as Google Authenticator writes.
    let batch_id = i32::from_le_bytes(batch_id) & i32::MAX;
    // Spaces around issuer and name are trimmed by readers; trimming first keeps the `Issuer:name` label
    // recognisable when the issuer itself ends in a colon and a space.
    let trimmed: Vec<Account> = accounts.iter().map(trim_labels).collect();
    let encoded = migration::encode(&trimmed, batch_id);
    let skipped: Vec<Skipped> = encoded
        .skipped
        .iter()
        .map(|(id, reason)| Skipped::new(accounts.iter().find(|a| a.id == *id), *id, reason.clone()))
        .collect();
    let carried: Vec<&Account> =
        trimmed.iter().filter(|a| !encoded.skipped.iter().any(|(id, _)| *id == a.id)).collect();
    if carried.is_empty() {
        return Err(ExportError::NothingToExport { skipped: skipped.len() });
    }
    let total = encoded.links.len();
    let mut codes = Vec::with_capacity(total);
    let mut next = 0usize;
    for (index, link) in encoded.links.into_iter().enumerate() {
        let qr = QrMatrix::encode(&link)?;
        if qr.decode()?.as_str() != link.as_str() {
            return Err(ExportError::Verification {
                why: Mismatch::Code { number: index + 1, detail: "it decodes to another text".into() },
            });
        }
        let decoded = check_link(&link, index, total, batch_id)?;
        let ids = match_accounts(&decoded, &carried, &mut next, index)?;
        codes.push(TransferCode { index, total, link, accounts: ids, qr });
    }
    if next != carried.len() {
        return Err(ExportError::Verification { why: Mismatch::Count { written: carried.len(), read: next } });
    }
    Ok(Transfer { codes, skipped })
}

/// An HTML page with every code in turn (for printing or for showing on another screen).
pub(super) fn page(transfer: &Transfer) -> Zeroizing<Vec<u8>> {
    let mut html = Zeroizing::new(String::new());
    html.push_str(super::paper::HTML_HEAD);
    html.push_str("<title>Google Authenticator transfer codes</title></head><body>\n");
    html.push_str(
        "<p class=\"warning\"><strong>These codes hold your account keys.</strong> Anyone who scans them can \
         make your one-time codes. Show them only to your own phone and delete this file afterwards.</p>\n",
    );
    html.push_str(
        "<p>In Google Authenticator choose <em>Transfer accounts → Import accounts</em> and scan each code in \
         turn.</p>\n",
    );
    for code in &transfer.codes {
        html.push_str(&format!(
            "<section class=\"code\"><h2>Code {} of {} ({} accounts)</h2>\n",
            code.index + 1,
            code.total,
            code.accounts.len()
        ));
        html.push_str(&code.svg(320));
        html.push_str("</section>\n");
    }
    if !transfer.skipped.is_empty() {
        html.push_str("<section class=\"skipped\"><h2>Not included: Google Authenticator cannot hold these</h2><ul>\n");
        for s in &transfer.skipped {
            html.push_str(&format!("<li>{} — {}</li>\n", html_escape(&s.account), html_escape(&s.reason)));
        }
        html.push_str("</ul></section>\n");
    }
    html.push_str("</body></html>\n");
    Zeroizing::new(std::mem::take(&mut *html).into_bytes())
}

/// Reads a page written by [`page`] back: every code decoded, every payload decoded.
pub(super) fn read_page(bytes: &[u8]) -> Result<Vec<Account>, ExportError> {
    let links = super::paper::qr_texts(bytes)?;
    let total = links.len();
    let mut accounts = Vec::new();
    let mut batch_id = None;
    for (index, link) in links.iter().enumerate() {
        let decoded = migration::decode(link).map_err(|e| ExportError::Verification {
            why: Mismatch::Code { number: index + 1, detail: format!("not a transfer link: {e}") },
        })?;
        let id = *batch_id.get_or_insert(decoded.batch.id);
        check_batch(&decoded, index, total, id)?;
        accounts.extend(decoded.accounts.into_iter().map(|a| a.into_account(0)));
    }
    Ok(accounts)
}

fn trim_labels(account: &Account) -> Account {
    let mut account = account.clone();
    account.issuer = account.issuer.trim().to_owned();
    account.name = account.name.trim().to_owned();
    account
}

fn check_link(link: &str, index: usize, total: usize, batch_id: i32) -> Result<migration::Decoded, ExportError> {
    let decoded = migration::decode(link).map_err(|e| ExportError::Verification {
        why: Mismatch::Code { number: index + 1, detail: format!("it does not decode: {e}") },
    })?;
    check_batch(&decoded, index, total, batch_id)?;
    Ok(decoded)
}

fn check_batch(decoded: &migration::Decoded, index: usize, total: usize, batch_id: i32) -> Result<(), ExportError> {
    let b = decoded.batch;
    let expected = (i32::try_from(index).ok(), i32::try_from(total).ok(), batch_id);
    if (Some(b.index), Some(b.size), b.id) != expected || !decoded.rejected.is_empty() {
        return Err(ExportError::Verification {
            why: Mismatch::Code { number: index + 1, detail: "a wrong batch header".into() },
        });
    }
    Ok(())
}

fn match_accounts(
    decoded: &migration::Decoded,
    carried: &[&Account],
    next: &mut usize,
    index: usize,
) -> Result<Vec<AccountId>, ExportError> {
    let mut ids = Vec::with_capacity(decoded.accounts.len());
    for got in &decoded.accounts {
        let want = carried.get(*next).ok_or_else(|| ExportError::Verification {
            why: Mismatch::Code { number: index + 1, detail: "more accounts than were sent".into() },
        })?;
        if got.issuer != want.issuer || got.name != want.name || got.secret != want.secret || got.otp != want.otp {
            return Err(ExportError::Verification {
                why: Mismatch::Code {
                    number: index + 1,
                    detail: format!("{} reads back differently", want.display_name()),
                },
            });
        }
        ids.push(want.id);
        *next += 1;
    }
    Ok(ids)
}
