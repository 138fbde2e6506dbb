//! `twofold-cli code --uri URI [--time UNIX_SECONDS] [--counter N] [--json]`: print the code of a link.
//! `twofold-cli code QUERY [--time UNIX_SECONDS] [--json]`: print the code of a vault account
//! (see `vault::code`).

use anyhow::bail;
use twofold_core::{OtpKind, otp, uri};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// A vault account: issuer, name, or id (several matches are listed).
    #[arg(value_name = "QUERY", required_unless_present = "uri", conflicts_with = "uri")]
    query: Option<String>,
    /// The otpauth:// link, or `-` to read it from standard input.
    #[arg(long, value_name = "URI")]
    uri: Option<String>,
    #[command(flatten)]
    vault: super::vault::VaultOpts,
    /// Compute the code at this Unix time instead of now (time-based links).
    #[arg(long, value_name = "UNIX_SECONDS", allow_negative_numbers = true)]
    time: Option<i64>,
    /// Use this counter instead of the link's (hotp links).
    #[arg(long, value_name = "N")]
    counter: Option<u64>,
    /// Print `{"code": …, "valid_from": …, "valid_until": …}` (hotp: `{"code": …, "counter": …}`).
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let Some(uri) = &args.uri else {
        if args.counter.is_some() {
            bail!("--counter applies to links; a vault hotp account uses its saved counter");
        }
        return super::vault::code::run(&args.vault, args.query.as_deref().unwrap_or_default(), args.time, args.json);
    };
    let link = super::read_link(uri)?;
    if super::is_migration_link(&link) {
        bail!("a transfer link holds several accounts; use `twofold-cli inspect` to list them");
    }
    let parsed = uri::parse(&link)?;
    let out = match parsed.otp.kind {
        OtpKind::Hotp { counter: stored } => {
            if args.time.is_some() {
                bail!("--time applies to totp and steam links, not hotp (use --counter)");
            }
            let counter = args.counter.unwrap_or(stored);
            let code = otp::code_at_counter(&parsed.secret, &parsed.otp, counter)?;
            if args.json { serde_json::json!({ "code": code.code, "counter": counter }).to_string() } else { code.code }
        }
        OtpKind::Totp { .. } | OtpKind::Steam { .. } => {
            if args.counter.is_some() {
                bail!("--counter applies to hotp links, not totp or steam (use --time)");
            }
            let now = match args.time {
                Some(t) => t,
                None => super::now()?,
            };
            let code = otp::code(&parsed.secret, &parsed.otp, now)?;
            if args.json {
                let window = code.window;
                serde_json::json!({
                    "code": code.code,
                    "valid_from": window.map(|w| w.valid_from),
                    "valid_until": window.map(|w| w.valid_until),
                })
                .to_string()
            } else {
                code.code
            }
        }
        _ => bail!("unsupported otp type"),
    };
    println!("{out}");
    Ok(())
}
