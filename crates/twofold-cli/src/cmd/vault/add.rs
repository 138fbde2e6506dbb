//! `twofold-cli add --uri URI` or `add --secret BASE32 --issuer … --name …`: add an account, print its id.

use anyhow::{Context as _, bail};
use twofold_core::vault::VaultError;
use twofold_core::{Account, Algorithm, OtpKind, OtpParams, Secret, uri};

use super::VaultOpts;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    vault: VaultOpts,
    /// An otpauth:// link, or `-` for the next line of standard input.
    #[arg(long, value_name = "URI", conflicts_with_all = ["secret", "kind", "algorithm", "digits", "period", "counter"])]
    uri: Option<String>,
    /// The key in base32, or `-` for the next line of standard input.
    #[arg(long, value_name = "BASE32")]
    secret: Option<String>,
    #[arg(long)]
    issuer: Option<String>,
    #[arg(long)]
    name: Option<String>,
    /// totp, hotp or steam.
    #[arg(long = "type", value_name = "TYPE", default_value = "totp")]
    kind: String,
    /// SHA1, SHA256 or SHA512.
    #[arg(long, default_value = "SHA1")]
    algorithm: String,
    #[arg(long)]
    digits: Option<u8>,
    /// Seconds (totp, steam).
    #[arg(long)]
    period: Option<u32>,
    /// Next counter value (hotp).
    #[arg(long)]
    counter: Option<u64>,
    /// A group or tag (repeatable).
    #[arg(long = "group", value_name = "GROUP")]
    groups: Vec<String>,
    #[arg(long)]
    note: Option<String>,
    #[arg(long)]
    favorite: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let now = crate::cmd::now()?;
    let mut account = match (&args.uri, &args.secret) {
        (Some(link), _) => {
            let link = crate::cmd::read_link(link)?;
            let parsed = uri::parse(&link)?;
            for warning in &parsed.warnings {
                eprintln!("warning: {warning}");
            }
            parsed.into_account(now)
        }
        (None, Some(secret)) => {
            let text = if secret == "-" { super::read_secret_line("Secret: ")? } else { secret.clone().into() };
            // A typed key follows the strict rule: a partial last byte or fewer than 80 bits is refused.
            let secret = Secret::parse_typed(&text)?;
            let otp = params(&args)?;
            Account::new("", "", secret, otp, now)
        }
        (None, None) => bail!("give --uri URI or --secret BASE32"),
    };
    if let Some(issuer) = args.issuer {
        account.issuer = issuer;
    }
    if let Some(name) = args.name {
        account.name = name;
    }
    account.groups.extend(args.groups);
    if let Some(note) = args.note {
        account.note = note;
    }
    account.favorite |= args.favorite;
    let mut vault = args.vault.unlock()?;
    let id = account.id;
    let label = account.display_name();
    vault.update(|c| -> Result<(), VaultError> {
        account.order = c.accounts.iter().map(|a| a.order).max().map_or(0, |m| m.saturating_add(1));
        c.accounts.push(account);
        Ok(())
    })?;
    println!("{id}  {label}");
    Ok(())
}

fn params(args: &Args) -> anyhow::Result<OtpParams> {
    let algorithm = match args.algorithm.to_ascii_uppercase().replace('-', "").as_str() {
        "SHA1" => Algorithm::Sha1,
        "SHA256" => Algorithm::Sha256,
        "SHA512" => Algorithm::Sha512,
        other => bail!("unknown algorithm \"{other}\" (SHA1, SHA256 or SHA512)"),
    };
    let period = args.period.unwrap_or(OtpParams::DEFAULT_PERIOD);
    let (kind, default_digits) = match args.kind.to_ascii_lowercase().as_str() {
        "totp" => (OtpKind::Totp { period }, OtpParams::DEFAULT_DIGITS),
        "hotp" => (OtpKind::Hotp { counter: args.counter.unwrap_or(0) }, OtpParams::DEFAULT_DIGITS),
        "steam" => (OtpKind::Steam { period }, OtpParams::STEAM_DIGITS),
        other => bail!("unknown type \"{other}\" (totp, hotp or steam)"),
    };
    let otp = OtpParams { kind, algorithm, digits: args.digits.unwrap_or(default_digits) };
    otp.validate().context("invalid account parameters")?;
    Ok(otp)
}
