//! `twofold-cli backup --out FILE [--export-password-file P] [--force]`: write an encrypted backup of the
//! vault in Twofold's own format (a fresh data key; the backup's own password, or the vault's when none is
//! given). The file is read back and decrypted before success is printed.

use std::path::{Path, PathBuf};

use anyhow::bail;
use twofold_core::backup::{self, BackupKey};
use twofold_core::vault::{KdfParams, Vault};

use super::VaultOpts;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    vault: VaultOpts,
    /// Where to write the backup.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Protect the backup with the password on the first line of this file (default: the vault password).
    #[arg(long, value_name = "FILE")]
    export_password_file: Option<PathBuf>,
    /// Replace FILE if it exists (only once the new backup is verified).
    #[arg(long)]
    force: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    if args.out.exists() && !args.force {
        bail!("{} already exists (use --force to replace it)", args.out.display());
    }
    if args.vault.keyring {
        bail!("backup always asks for the password; leave out --keyring");
    }
    let store = args.vault.store()?;
    store.inspect()?;
    let vault_password = args.vault.password("Vault password: ")?;
    let vault = store.unlock(&vault_password)?;
    let password = match &args.export_password_file {
        Some(file) => super::read_password_file(file)?,
        None => vault_password,
    };
    let info = write(&vault, &args.out, &password, crate::cmd::now()?)?;
    println!(
        "wrote {} with {}, made {}, verified",
        args.out.display(),
        super::backup_check::accounts(info.account_count),
        backup::format_utc(info.created)
    );
    Ok(())
}

/// Writes a verified backup of `vault` to `out` with `password`, at the vault's own Argon2 cost (or the
/// default when the vault's is below today's floor). What `export --format twofold` calls too.
pub fn write(vault: &Vault, out: &Path, password: &str, now: i64) -> anyhow::Result<backup::BackupInfo> {
    let kdf = vault.kdf_params().first().copied().and_then(|k| k.check().ok()).unwrap_or(KdfParams::DEFAULT);
    let key = BackupKey::derive(password, kdf)?;
    Ok(backup::write_backup(out, vault.contents(), &key, now)?)
}
