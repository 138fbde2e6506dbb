//! `twofold-cli passwd`: change the vault password. A new data key is made too by default, so an old copy of
//! the file and the old password open nothing written after the change; `--keep-key` only rewraps the
//! data key under the new password (other programs holding the vault open keep working).

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
    /// Keep the data key (rewrap it under the new password): an old copy of the vault file, opened with the
    /// old password, could then still decrypt files written after the change.
    #[arg(long, conflicts_with = "rotate_key")]
    keep_key: bool,
    /// Replace the data key (the default; accepted for scripts written before it was).
    #[arg(long, hide = true)]
    rotate_key: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let mut vault = args.vault.unlock_with_password("passwd")?;
    // The change drops every device slot (docs/vault-format.md); their keyring items here are deleted after.
    let dropped: Vec<[u8; 16]> = vault.device_slots().iter().map(|s| s.id).collect();
    let new = super::new_password(args.new_password_file.as_deref(), "New vault password: ")?;
    // Keep the vault's cost unless it is below today's floor.
    let kdf = vault.kdf_params().first().copied().and_then(|k| k.check().ok()).unwrap_or(KdfParams::DEFAULT);
    if args.keep_key {
        vault.change_password(&new, kdf)?;
        println!("password changed (data key kept)");
    } else {
        vault.rotate_key(&new, kdf)?;
        println!("password changed and data key replaced");
    }
    if !dropped.is_empty() {
        let keyring = twofold_keyring::SystemKeyring::new(twofold_keyring::DEFAULT_TIMEOUT);
        match twofold_keyring::forget_dropped(&keyring, &dropped) {
            Ok(()) => println!("the keyring unlock is off until it is turned on again"),
            Err(failure) => {
                eprintln!("note: the keyring's old item could not be deleted ({failure}); it opens nothing")
            }
        }
    }
    Ok(())
}
