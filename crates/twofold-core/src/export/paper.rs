//! A printable paper backup: one self-contained HTML page (no scripts, no external files) with, per
//! account, a QR code of its `otpauth://` link, the issuer, the name, the key in groups of four, the code
//! parameters and the date it was added; a warning header says what the page is and how to keep it.
//!
//! Read back before it is handed out: every QR code is parsed out of the page, decoded, and parsed as a
//! link, and every printed key is compared with the account's secret.
//!
//! Lost: ids, groups, notes, favourites and recovery codes (a paper backup is for getting codes back).

use zeroize::Zeroizing;

use super::ExportError;
use super::qr::{QrMatrix, html_escape};
use crate::model::{Account, OtpKind};
use crate::secret::Secret;

/// The start of every page we write: charset, viewport, and a print-friendly style.
pub(super) const HTML_HEAD: &str = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<meta name=\"referrer\" content=\"no-referrer\">\
<style>\
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:1.5rem;color:#111}\
.warning{border:3px solid #b00020;padding:0.75rem 1rem;margin-bottom:1.5rem}\
.warning h1{margin:0 0 0.5rem;font-size:1.4rem}\
section{display:flex;gap:1.25rem;align-items:center;border-bottom:1px solid #999;padding:0.75rem 0;\
break-inside:avoid;page-break-inside:avoid}\
section h2{margin:0;font-size:1.15rem}\
.name{margin:0.2rem 0;font-size:1rem}\
.key{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:1.05rem;letter-spacing:0.04em}\
.meta{color:#444;font-size:0.85rem;margin:0.2rem 0}\
svg.qr{flex:none}\
section.code,section.skipped{display:block}\
@media print{body{margin:0.5cm}}\
</style>";

/// Writes the page for `accounts`; `now` (Unix seconds) is printed as the date it was made.
pub(super) fn page(accounts: &[Account], now: i64) -> Result<Zeroizing<Vec<u8>>, ExportError> {
    let mut html = Zeroizing::new(String::with_capacity(accounts.len() * 6000 + 2000));
    html.push_str(HTML_HEAD);
    html.push_str("<title>Twofold paper backup</title></head><body>\n");
    html.push_str(&format!(
        "<header class=\"warning\"><h1>Twofold paper backup — keep this page secret</h1>\
         <p>Made on {} with {} account{}.</p>\
         <p><strong>Anyone who sees or photographs this page can make your one-time codes.</strong> Keep it \
         somewhere locked, never in a shared folder or e-mail, and destroy old copies. To restore an account, \
         scan its code with any authenticator app or type its key.</p></header>\n",
        crate::time::date_utc(now),
        accounts.len(),
        if accounts.len() == 1 { "" } else { "s" }
    ));
    for account in accounts {
        let link = super::links::link(account);
        let qr = QrMatrix::encode(&link)?;
        let label = account.display_name();
        html.push_str("<section class=\"account\">");
        html.push_str(&qr.to_svg(160, &format!("QR code for {label}")));
        html.push_str("<div>");
        let issuer = if account.issuer.is_empty() { "(no issuer)" } else { &account.issuer };
        html.push_str(&format!("<h2>{}</h2>", html_escape(issuer)));
        html.push_str(&format!("<p class=\"name\">{}</p>", html_escape(&account.name)));
        html.push_str("<p>Key: <code class=\"key\">");
        html.push_str(&grouped(&account.secret));
        html.push_str("</code></p>");
        html.push_str(&format!("<p class=\"meta\">{}</p>", html_escape(&parameters(account))));
        html.push_str(&format!("<p class=\"meta\">Added {}</p>", crate::time::date_utc(account.created)));
        html.push_str("</div></section>\n");
    }
    html.push_str("</body></html>\n");
    Ok(Zeroizing::new(std::mem::take(&mut *html).into_bytes()))
}

/// Reads a page back: the accounts its QR codes hold (from their links), checked against the printed keys.
pub(super) fn read(bytes: &[u8]) -> Result<Vec<Account>, ExportError> {
    let links = qr_texts(bytes)?;
    let text = std::str::from_utf8(bytes).map_err(|_| verify_error("the page is not UTF-8"))?;
    let keys: Vec<&str> =
        text.split("<code class=\"key\">").skip(1).filter_map(|s| s.split_once("</code>").map(|(k, _)| k)).collect();
    if keys.len() != links.len() {
        return Err(verify_error(format!("the page has {} QR codes but {} printed keys", links.len(), keys.len())));
    }
    let mut accounts = Vec::with_capacity(links.len());
    for (i, (link, key)) in links.iter().zip(keys).enumerate() {
        let account = crate::uri::parse(link)
            .map_err(|e| verify_error(format!("QR code {} is not a valid link ({e})", i + 1)))?
            .into_account(0);
        let printed = Secret::parse_base32(key).map_err(|e| verify_error(format!("printed key {} ({e})", i + 1)))?;
        if printed != account.secret {
            return Err(ExportError::Verification { why: super::Mismatch::PrintedKey { number: i + 1 } });
        }
        accounts.push(account);
    }
    Ok(accounts)
}

/// The texts of every QR code drawn in a page we wrote, in page order.
pub(super) fn qr_texts(bytes: &[u8]) -> Result<Vec<Zeroizing<String>>, ExportError> {
    let text = std::str::from_utf8(bytes).map_err(|_| verify_error("the page is not UTF-8"))?;
    let mut texts = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("<svg ") {
        let len = rest[start..].find("</svg>").ok_or_else(|| verify_error("a QR code image is cut short"))?;
        let svg = &rest[start..start + len];
        texts.push(QrMatrix::from_svg(svg)?.decode()?);
        rest = &rest[start + len..];
    }
    Ok(texts)
}

/// The key as upper-case base32 in groups of four, as people copy it by hand.
fn grouped(secret: &Secret) -> Zeroizing<String> {
    let base32 = secret.to_base32();
    let mut out = Zeroizing::new(String::with_capacity(base32.len() * 5 / 4 + 1));
    for (i, c) in base32.chars().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

fn parameters(account: &Account) -> String {
    let otp = &account.otp;
    match otp.kind {
        OtpKind::Totp { period } => {
            format!("Time-based (TOTP) · {} · {} digits · every {period} s", otp.algorithm.as_str(), otp.digits)
        }
        OtpKind::Hotp { counter } => {
            format!("Counter-based (HOTP) · {} · {} digits · counter {counter}", otp.algorithm.as_str(), otp.digits)
        }
        OtpKind::Steam { period } => format!("Steam Guard · {} characters · every {period} s", otp.digits),
    }
}

fn verify_error(detail: impl Into<String>) -> ExportError {
    super::unreadable(detail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_grouped_in_fours() {
        let s = Secret::parse_base32("JBSWY3DPEHPK3PXP").unwrap();
        assert_eq!(grouped(&s).as_str(), "JBSW Y3DP EHPK 3PXP");
        let s = Secret::from_bytes(vec![0u8; 1]).unwrap();
        assert_eq!(grouped(&s).as_str(), "AA");
    }
}
