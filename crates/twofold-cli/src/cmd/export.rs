//! `twofold-cli export --format NAME --out FILE [--export-password-file P] [--allow-plaintext]`: the vault's
//! accounts in another app's format.
//!
//! Formats: `twofold` (Twofold's own encrypted backup, as `backup` writes it: a fresh data key, verified
//! after writing by the core), `aegis` (encrypted; the export password comes from `--export-password-file`, else is asked for
//! twice on a terminal, else is the next line of standard input), `aegis-plain`, `otpauth`,
//! `google-transfer` and `paper` (these hold secrets in the clear and need `--allow-plaintext`). The core
//! verifies the export before it is written; the file is then written by the core's one file writer
//! (`atomic::write_verified`): next to its destination with owner-only permissions, read back from disk and
//! verified again, and only then renamed into place. An existing file is not replaced without `--force`; a
//! symbolic link at the destination is refused.

use std::path::PathBuf;

use anyhow::bail;
use twofold_core::atomic::{self, Existing};
use twofold_core::export::{self, Format, PlaintextAck, Protection};

use super::vault::VaultOpts;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    vault: VaultOpts,
    /// twofold, aegis, aegis-plain, otpauth, google-transfer or paper.
    #[arg(long, value_name = "NAME")]
    format: String,
    /// Where to write the export.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Read the export password (encrypted formats) from the first line of this file.
    #[arg(long, value_name = "FILE")]
    export_password_file: Option<PathBuf>,
    /// Accept that the export holds every secret in the clear (required by every format but `aegis`).
    #[arg(long)]
    allow_plaintext: bool,
    /// Replace FILE if it exists.
    #[arg(long)]
    force: bool,
}

/// Our own backup format's name; it is not one of the core's foreign `Format`s.
const TWOFOLD: &str = "twofold";

pub fn run(args: Args) -> anyhow::Result<()> {
    if args.format.eq_ignore_ascii_case(TWOFOLD) {
        return run_twofold(args);
    }
    let Some(format) = Format::from_name(&args.format) else {
        let names: Vec<&str> = std::iter::once(TWOFOLD).chain(Format::ALL.iter().map(|f| f.name())).collect();
        bail!("unknown export format \"{}\" (expected one of: {})", args.format, names.join(", "));
    };
    if format.is_plaintext() && !args.allow_plaintext {
        bail!(
            "the {format} export holds every secret in the clear; pass --allow-plaintext to write it anyway, or use --format aegis"
        );
    }
    if args.out.exists() && !args.force {
        bail!("{} already exists; pass --force to replace it", args.out.display());
    }
    let vault = args.vault.unlock_with_password("export")?;
    let password = if format.is_plaintext() {
        None
    } else {
        Some(super::vault::new_password(args.export_password_file.as_deref(), "Export password: ")?)
    };
    let protection = match &password {
        Some(password) => Protection::Password(password),
        None => Protection::Plaintext(PlaintextAck::user_accepted_unencrypted_secrets()),
    };
    let mut accounts = vault.contents().accounts.clone();
    accounts.sort_by_key(|a| a.order);
    let exported = export::export(&accounts, format, protection, super::now()?)?;

    let existing = if args.force { Existing::Replace } else { Existing::Refuse };
    atomic::write_verified(&args.out, &exported.bytes, existing, |_, on_disk| {
        export::verify(on_disk, format, protection, &accounts)
            .map(|_| ())
            .map_err(|e| anyhow::Error::from(e).context("the written file did not verify"))
    })?;

    for loss in &exported.losses {
        eprintln!("note: {}: {}", twofold_core::model::or_unnamed(&loss.account), loss.kind);
    }
    for skipped in &exported.skipped {
        eprintln!("not exported: {}: {}", twofold_core::model::or_unnamed(&skipped.account), skipped.reason);
    }
    println!(
        "exported {} of {} accounts to {} ({format}, verified)",
        exported.count,
        accounts.len(),
        args.out.display()
    );
    Ok(())
}

/// `--format twofold`: the encrypted backup `backup` writes, with the export password (same prompts as
/// `aegis`). The core writes it atomically and verifies it.
fn run_twofold(args: Args) -> anyhow::Result<()> {
    if args.out.exists() && !args.force {
        bail!("{} already exists; pass --force to replace it", args.out.display());
    }
    let vault = args.vault.unlock_with_password("export")?;
    let password = super::vault::new_password(args.export_password_file.as_deref(), "Export password: ")?;
    let info = super::vault::backup::write(&vault, &args.out, &password, super::now()?)?;
    println!(
        "exported {} of {} accounts to {} ({TWOFOLD}, verified)",
        info.account_count,
        vault.contents().accounts.len(),
        args.out.display()
    );
    Ok(())
}
