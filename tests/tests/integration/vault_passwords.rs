//! Passwords are the UTF-8 of their NFC form, fixed forever; long and emoji passwords work; no `Debug` or
//! error text of a type that holds a secret shows the secret, the password or a recovery code.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use crate::vault_common;

use twofold_core::vault::format::DataKey;
use twofold_core::vault::{KdfParams, VaultError};
use vault_common::{PASSWORD, RECOVERY, SECRET_B32, sample_contents, temp_store};

fn opens_with(create: &str, unlock: &str) -> Result<(), VaultError> {
    let (_dir, store) = temp_store();
    store.create(create, KdfParams::MINIMUM, &sample_contents()).unwrap();
    store.unlock(unlock).map(|_| ())
}

#[test]
fn nfc_and_nfd_forms_open_the_same_vault() {
    let nfc = "Ça m\u{e9}rite r\u{e9}flexion \u{c5}ngstr\u{f6}m";
    let nfd = "C\u{327}a me\u{301}rite re\u{301}flexion A\u{30a}ngstro\u{308}m";
    assert_ne!(nfc.as_bytes(), nfd.as_bytes());
    opens_with(nfc, nfd).unwrap();
    opens_with(nfd, nfc).unwrap();
    // Hangul syllables vs. conjoining jamo.
    opens_with("\u{d55c}\u{ad6d}\u{c5b4}", "\u{1112}\u{1161}\u{11ab}\u{1100}\u{116e}\u{11a8}\u{110b}\u{1165}").unwrap();
    // Compatibility forms are *not* folded (NFC, not NFKC): the ligature differs from "fi".
    assert!(matches!(opens_with("\u{fb01}ne", "fine"), Err(VaultError::WrongPassword)));
}

#[test]
fn long_and_emoji_passwords_work() {
    let hundred_ascii = "a".repeat(99) + "Z";
    assert_eq!(hundred_ascii.len(), 100);
    opens_with(&hundred_ascii, &hundred_ascii).unwrap();
    // Aegis #95: keys past 64 bytes were once handled differently; one byte off must fail.
    assert!(matches!(opens_with(&hundred_ascii, &hundred_ascii[..99]), Err(VaultError::WrongPassword)));
    let hundred_multibyte = "é".repeat(50);
    assert_eq!(hundred_multibyte.len(), 100);
    opens_with(&hundred_multibyte, &hundred_multibyte).unwrap();
    let emoji = "🔐🦀 pässwörd 👨‍👩‍👧 ✓";
    opens_with(emoji, emoji).unwrap();
    assert!(matches!(opens_with(emoji, "🔐🦀 pässwörd 👨‍👩 ✓"), Err(VaultError::WrongPassword)));
    let long = "🔑".repeat(300);
    opens_with(&long, &long).unwrap();
}

#[test]
fn debug_and_error_text_carry_no_secret() {
    let (_dir, store) = temp_store();
    let vault = store.create(PASSWORD, KdfParams::MINIMUM, &sample_contents()).unwrap();
    let secret_hex: String = (0u8..64).map(|b| format!("{b:02x}")).collect();
    let mut texts = vec![
        format!("{vault:?}"),
        format!("{:?}", vault.contents()),
        format!("{:#?}", vault.contents().accounts),
        format!("{:?}", vault.store()),
        format!("{:?}", DataKey::from_bytes([0xAB; 32])),
        format!("{:?}", vault.kdf_params()),
        format!("{:?}", store.inspect().unwrap()),
    ];
    for err in [
        store.unlock("wrong").unwrap_err(),
        store.create(PASSWORD, KdfParams::MINIMUM, &sample_contents()).unwrap_err(),
        twofold_core::vault::VaultContents::from_json(
            format!(r#"{{"accounts":[{{"id":"x","type":"totp","secret":"{SECRET_B32}","note":"{RECOVERY}"}}]}}"#)
                .as_bytes(),
        )
        .unwrap_err(),
        twofold_core::vault::VaultContents::from_json(
            format!(
                r#"{{"accounts":[{{"id":"{}","type":"totp","digits":6,"secret":"{SECRET_B32}1","recovery_codes":[{{"code":"{RECOVERY}","used":"x"}}]}}]}}"#,
                vault.contents().accounts[0].id
            )
            .as_bytes(),
        )
        .unwrap_err(),
    ] {
        texts.push(err.to_string());
        texts.push(format!("{err:?}"));
    }
    for text in &texts {
        for needle in [SECRET_B32, "JBSW", RECOVERY, PASSWORD, "horse", &secret_hex[..16], "abababab", "171, 171"] {
            assert!(!text.contains(needle), "{needle:?} leaked in {text}");
        }
    }
    assert!(texts[0].contains("<redacted>"));
}
