//! The language setting: optional, kept out of settings.json until chosen, and only ever a language tag.

use super::Settings;

#[test]
fn a_language_is_optional_and_absent_from_the_file_until_chosen() {
    let json = serde_json::to_string(&Settings::default()).unwrap();
    assert!(!json.contains("language"), "{json}");
    // A settings.json written before the field existed still reads, as "the system's language".
    let old: Settings = serde_json::from_str(r#"{"clipboardClearSeconds": 9}"#).unwrap();
    assert_eq!(old.language, None);
    let chosen: Settings = serde_json::from_str(r#"{"language": "de"}"#).unwrap();
    assert_eq!(chosen.language.as_deref(), Some("de"));
    assert!(serde_json::to_string(&chosen).unwrap().contains(r#""language":"de""#));
}

#[test]
fn only_language_tags_are_accepted() {
    let with = |language: &str| Settings { language: Some(language.into()), ..Settings::default() };
    for good in ["de", "fr", "pt-BR", "x-pseudo"] {
        assert_eq!(with(good).validate(), Ok(()), "{good}");
    }
    for bad in ["", "de DE", "../de", "<b>", &"x".repeat(36)] {
        assert!(with(bad).validate().is_err_and(|e| e.to_string().contains("language tag")), "{bad}");
    }
}
