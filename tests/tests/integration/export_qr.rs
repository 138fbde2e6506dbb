//! Exports made of QR codes: Google Authenticator transfer codes and the paper backup.
//!
//! Every code is decoded here the way a camera would see it: drawn into a greyscale image (the PNG we emit,
//! or the page's SVG rasterised by a small parser written in this test) and found and decoded by **our own
//! decoder** (`twofold_core::qr`, the one the app's camera and image import use), not by the matrix the
//! export drew. The decoded text is then read back by our link or transfer-link parser.

use twofold_core::export::{self, ExportError, Format, PlaintextAck, Protection, google_transfer};
use twofold_core::{Account, Algorithm, OtpKind, OtpParams, Secret, migration, uri};

fn ack() -> PlaintextAck {
    PlaintextAck::user_accepted_unencrypted_secrets()
}

/// Finds and decodes the single QR code in a greyscale image with our decoder.
#[allow(clippy::unwrap_used)]
fn decode_grey(width: usize, height: usize, pixels: &[u8]) -> String {
    let codes = twofold_core::qr::decode_luma(width, height, width, pixels).unwrap();
    assert_eq!(codes.len(), 1, "one QR code in the image");
    codes[0].as_str().to_string()
}

/// Decodes the PNG bytes we emit with our decoder's image path (the one image import uses).
#[allow(clippy::unwrap_used)]
fn decode_png(png_bytes: &[u8]) -> String {
    let codes = twofold_core::qr::decode_image_bytes(png_bytes).unwrap();
    assert_eq!(codes.len(), 1, "one QR code in the image");
    codes[0].as_str().to_string()
}

/// Rasterises one of our SVG codes (a viewBox in modules, `M x y h w v1 h-w z` runs) at 4 px per module.
#[allow(clippy::unwrap_used)]
fn decode_svg(svg: &str) -> String {
    let view_box = svg.split("viewBox=\"").nth(1).unwrap().split('"').next().unwrap();
    let side: usize = view_box.split(' ').nth(2).unwrap().parse().unwrap();
    const SCALE: usize = 4;
    let w = side * SCALE;
    let mut pixels = vec![255u8; w * w];
    let d = svg.split(" d=\"").nth(1).unwrap().split('"').next().unwrap();
    for run in d.split('z').filter(|r| !r.is_empty()) {
        let nums: Vec<usize> =
            run.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty()).map(|s| s.parse().unwrap()).collect();
        let (x, y, len) = (nums[0], nums[1], nums[2]);
        for py in y * SCALE..(y + 1) * SCALE {
            for px in x * SCALE..(x + len) * SCALE {
                pixels[py * w + px] = 0;
            }
        }
    }
    decode_grey(w, w, &pixels)
}

/// Every `<svg …>…</svg>` in a page, in order.
fn svgs(page: &str) -> Vec<&str> {
    page.split("<svg ").skip(1).map(|s| s.split("</svg>").next().unwrap_or_default()).collect()
}

#[allow(clippy::unwrap_used)]
fn key(n: u8, len: usize) -> Secret {
    Secret::from_bytes((0..len).map(|i| n.wrapping_mul(37).wrapping_add(i as u8)).collect::<Vec<_>>()).unwrap()
}

fn params(kind: OtpKind, algorithm: Algorithm, digits: u8) -> OtpParams {
    OtpParams { kind, algorithm, digits }
}

/// 23 accounts Google Authenticator can take and 3 it cannot.
fn mixed() -> Vec<Account> {
    let mut list = Vec::new();
    for i in 0..23u8 {
        let otp = match i % 4 {
            0 => OtpParams::default_totp(),
            1 => params(OtpKind::Totp { period: 30 }, Algorithm::Sha256, 8),
            2 => params(OtpKind::Hotp { counter: u64::from(i) * 1000 }, Algorithm::Sha1, 6),
            _ => params(OtpKind::Totp { period: 30 }, Algorithm::Sha512, 6),
        };
        list.push(Account::new(format!("Service {i}"), format!("user{i}@example.com"), key(i, 20), otp, 0));
    }
    list.insert(3, Account::new("Steam", "gamer", key(100, 10), OtpParams::steam(), 0));
    list.insert(
        10,
        Account::new("Slow", "minute", key(101, 20), params(OtpKind::Totp { period: 60 }, Algorithm::Sha1, 6), 0),
    );
    list.insert(
        20,
        Account::new("Odd", "seven", key(102, 20), params(OtpKind::Totp { period: 30 }, Algorithm::Sha1, 7), 0),
    );
    list
}

#[test]
fn transfer_codes_decode_from_their_png_back_to_the_same_accounts() {
    let accounts = mixed();
    let transfer = google_transfer(&accounts, ack()).unwrap();
    let mut skipped: Vec<&str> = transfer.skipped.iter().map(|s| s.account.as_str()).collect();
    skipped.sort();
    assert_eq!(skipped, ["Odd (seven)", "Slow (minute)", "Steam (gamer)"], "unsupported accounts are listed");
    assert!(transfer.skipped.iter().any(|s| s.reason.contains("steam")));
    assert!(transfer.codes.len() >= 3, "23 accounts need several codes");

    let carried: Vec<&Account> = accounts.iter().filter(|a| !transfer.skipped.iter().any(|s| s.id == a.id)).collect();
    assert_eq!(carried.len(), 23);
    let mut decoded_accounts = Vec::new();
    let mut batch_id = None;
    for (i, code) in transfer.codes.iter().enumerate() {
        assert_eq!((code.index, code.total), (i, transfer.codes.len()));
        let text = decode_png(&code.png(4).unwrap());
        assert_eq!(text, *code.link);
        assert_eq!(decode_svg(&code.svg(300)), *code.link);
        let decoded = migration::decode(&text).unwrap();
        assert_eq!(decoded.batch.index, i32::try_from(i).unwrap());
        assert_eq!(decoded.batch.size, i32::try_from(transfer.codes.len()).unwrap());
        assert_eq!(*batch_id.get_or_insert(decoded.batch.id), decoded.batch.id);
        assert!(decoded.rejected.is_empty());
        assert_eq!(decoded.accounts.len(), code.accounts.len());
        decoded_accounts.extend(decoded.accounts);
    }
    assert_eq!(decoded_accounts.len(), carried.len());
    for (got, want) in decoded_accounts.iter().zip(&carried) {
        assert_eq!((&got.issuer, &got.name), (&want.issuer, &want.name));
        assert_eq!(got.secret, want.secret);
        assert_eq!(got.otp, want.otp);
    }
    let ids: Vec<_> = transfer.codes.iter().flat_map(|c| c.accounts.iter().copied()).collect();
    assert_eq!(ids, carried.iter().map(|a| a.id).collect::<Vec<_>>());
}

#[test]
fn transfer_page_export_lists_what_it_cannot_carry() {
    let accounts = mixed();
    let exported = export::export(&accounts, Format::GoogleTransfer, Protection::Plaintext(ack()), 0).unwrap();
    assert_eq!(exported.count, 23);
    assert_eq!(exported.skipped.len(), 3);
    let page = std::str::from_utf8(&exported.bytes).unwrap();
    assert!(page.contains("Steam (gamer)") && page.contains("Slow (minute)") && page.contains("Odd (seven)"));
    let mut accounts_seen = 0;
    for svg in svgs(page) {
        let decoded = migration::decode(&decode_svg(svg)).unwrap();
        accounts_seen += decoded.accounts.len();
    }
    assert_eq!(accounts_seen, 23);
}

#[test]
fn transfer_with_nothing_google_can_take_is_an_error() {
    let only_steam = vec![Account::new("Steam", "x", key(1, 10), OtpParams::steam(), 0)];
    assert_eq!(google_transfer(&only_steam, ack()).unwrap_err(), ExportError::NothingToExport { skipped: 1 });
}

#[allow(clippy::unwrap_used)]
fn paper_accounts() -> Vec<Account> {
    let mut list = vec![
        Account::new(
            "GitHub",
            "alice@example.com",
            Secret::parse_base32("JBSWY3DPEHPK3PXP").unwrap(),
            OtpParams::default_totp(),
            1_700_000_000,
        ),
        Account::new(
            "<Bank> & \"Co\"",
            "bob's account",
            key(2, 32),
            params(OtpKind::Hotp { counter: 5 }, Algorithm::Sha256, 8),
            951_782_400,
        ),
        Account::new("", "no issuer", key(3, 64), params(OtpKind::Totp { period: 60 }, Algorithm::Sha512, 10), 0),
        Account::new("Steam", "gamer", key(4, 10), OtpParams::steam(), 1_000_000_000),
        Account::new("日本語", "ユーザー 🔐", key(5, 20), OtpParams::default_totp(), 1_600_000_000),
    ];
    list[0].note = "not on paper".into();
    list
}

#[test]
fn every_paper_qr_code_decodes_to_its_account_link() {
    let accounts = paper_accounts();
    let exported = export::export(&accounts, Format::PaperHtml, Protection::Plaintext(ack()), 1_763_769_600).unwrap();
    assert_eq!(exported.count, accounts.len());
    let page = std::str::from_utf8(&exported.bytes).unwrap();
    let codes = svgs(page);
    assert_eq!(codes.len(), accounts.len());
    for (svg, account) in codes.iter().zip(&accounts) {
        let text = decode_svg(svg);
        assert_eq!(text, *uri::format(account));
        let parsed = uri::parse(&text).unwrap();
        assert_eq!((parsed.issuer.as_str(), parsed.name.as_str()), (account.issuer.as_str(), account.name.as_str()));
        assert_eq!(parsed.secret, account.secret);
        assert_eq!(parsed.otp, account.otp);
    }
}

#[test]
fn paper_page_is_self_contained_and_shows_what_a_person_needs() {
    let accounts = paper_accounts();
    let exported = export::export(&accounts, Format::PaperHtml, Protection::Plaintext(ack()), 1_763_769_600).unwrap();
    let page = std::str::from_utf8(&exported.bytes).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("keep this page secret"), "warning header");
    assert!(page.contains("Made on 2025-11-22 with 5 accounts"));
    assert!(page.contains("JBSW Y3DP EHPK 3PXP"), "key in groups of four");
    assert!(page.contains("Added 2023-11-14") && page.contains("Added 2000-02-29"));
    assert!(page.contains("&lt;Bank&gt; &amp; &quot;Co&quot;") && !page.contains("<Bank>"), "text is escaped");
    assert!(page.contains("bob&#39;s account"));
    assert!(page.contains("日本語") && page.contains("ユーザー 🔐"));
    assert!(page.contains("Counter-based (HOTP) · SHA256 · 8 digits · counter 5"));
    assert!(page.contains("Steam Guard"));
    assert!(!page.contains("not on paper"));
    for forbidden in ["<script", "src=", "href=", "url(", "@import"] {
        assert!(!page.contains(forbidden), "page must not load anything ({forbidden})");
    }
}

#[test]
fn paper_verify_catches_a_wrong_printed_key() {
    let accounts = paper_accounts();
    let exported = export::export(&accounts, Format::PaperHtml, Protection::Plaintext(ack()), 0).unwrap();
    let page = std::str::from_utf8(&exported.bytes).unwrap().replacen("JBSW Y3DP", "JBSW Y3DQ", 1);
    let err = export::verify(page.as_bytes(), Format::PaperHtml, Protection::Plaintext(ack()), &accounts).unwrap_err();
    assert!(err.to_string().contains("printed key 1"), "{err}");
}
