//! `twofold-cli inspect URI [--json]`: show what an otpauth:// or otpauth-migration:// link holds.
//!
//! The output includes the secret (canonical base32): that is what the command is for.

use serde_json::{Value, json};
use twofold_core::{OtpKind, OtpParams, Secret, migration, uri};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The link, or `-` to read it from standard input.
    #[arg(value_name = "URI")]
    uri: String,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let link = super::read_link(&args.uri)?;
    let value = if super::is_migration_link(&link) {
        let decoded = migration::decode(&link)?;
        json!({
            "batch": decoded.batch,
            "accounts": decoded.accounts.iter().map(|a| account_json(&a.issuer, &a.name, &a.secret, &a.otp)).collect::<Vec<_>>(),
            "rejected": decoded.rejected.iter().map(|r| json!({
                "index": r.index,
                "issuer": r.issuer,
                "name": r.name,
                "reason": r.error.to_string(),
            })).collect::<Vec<_>>(),
        })
    } else {
        let parsed = uri::parse(&link)?;
        let mut value = account_json(&parsed.issuer, &parsed.name, &parsed.secret, &parsed.otp);
        value["warnings"] = parsed.warnings.iter().map(|w| Value::String(w.to_string())).collect();
        value
    };
    if args.json {
        println!("{value}");
    } else {
        print_text(&value);
    }
    Ok(())
}

fn account_json(issuer: &str, name: &str, secret: &Secret, otp: &OtpParams) -> Value {
    let mut v = json!({
        "type": match otp.kind { OtpKind::Hotp { .. } => "hotp", OtpKind::Steam { .. } => "steam", _ => "totp" },
        "issuer": issuer,
        "name": name,
        "algorithm": otp.algorithm.as_str(),
        "digits": otp.digits,
        "secret": secret.to_base32().as_str(),
    });
    match otp.kind {
        OtpKind::Hotp { counter } => v["counter"] = json!(counter),
        _ => v["period"] = json!(otp.period()),
    }
    v
}

fn print_text(value: &Value) {
    let print_account = |a: &Value| {
        let moving = match a.get("counter") {
            Some(c) => format!("counter {c}"),
            None => format!("period {} s", a["period"]),
        };
        let issuer = a["issuer"].as_str().unwrap_or_default();
        let name = a["name"].as_str().unwrap_or_default();
        let label = if issuer.is_empty() { name.to_owned() } else { format!("{issuer}:{name}") };
        println!(
            "{} {label} {} {} digits {} secret {}",
            a["type"].as_str().unwrap_or_default(),
            a["algorithm"].as_str().unwrap_or_default(),
            a["digits"],
            moving,
            a["secret"].as_str().unwrap_or_default(),
        );
    };
    if let Some(accounts) = value.get("accounts").and_then(Value::as_array) {
        let batch = &value["batch"];
        println!(
            "transfer link {} of {} (batch {})",
            batch["index"].as_i64().unwrap_or(0) + 1,
            batch["size"],
            batch["id"]
        );
        accounts.iter().for_each(print_account);
        for r in value["rejected"].as_array().into_iter().flatten() {
            println!(
                "skipped entry {}: {}",
                r["index"].as_u64().unwrap_or(0) + 1,
                r["reason"].as_str().unwrap_or_default()
            );
        }
    } else {
        print_account(value);
        for w in value["warnings"].as_array().into_iter().flatten() {
            println!("warning: {}", w.as_str().unwrap_or_default());
        }
    }
}
