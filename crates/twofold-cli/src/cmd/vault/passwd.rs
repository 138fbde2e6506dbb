//! `twofold-cli passwd`: change the vault password (the data key is rewrapped, not replaced). With
//! `--rotate-key` a new data key is made too.

use std::path::PathBuf;

use twofold_core::vault::KdfParams;

use super::VaultOpts;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    vault: VaultOpts,
    /// Read the new password from the first line of this file.
    #[arg(long, value_name = "FILE")]
    new_password_file: Option<PathBuf>,
    /// Also replace the data key.
    #[arg(long)]
    rotate_key: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let mut vault = args.vault.unlock()?;
    let new = super::new_password(args.new_password_file.as_deref(), "New vault password: ")?;
    // Keep the vault's cost unless it is below today's floor.
    let kdf = vault.kdf_params().first().copied().and_then(|k| k.check().ok()).unwrap_or(KdfParams::DEFAULT);
    if args.rotate_key {
        vault.rotate_key(&new, kdf)?;
        println!("password changed and data key replaced");
    } else {
        vault.change_password(&new, kdf)?;
        println!("password changed");
    }
    Ok(())
}
