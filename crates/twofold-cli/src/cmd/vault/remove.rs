//! `twofold-cli remove ID`: delete an account (the previous vault copy still holds it until the next save).

use twofold_core::vault::VaultError;

use super::VaultOpts;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    vault: VaultOpts,
    /// The account id (or a query matching exactly one account).
    id: String,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let mut vault = args.vault.unlock()?;
    let id = super::find_one(&vault.contents().accounts, &args.id)?.id;
    let removed = vault.update(|c| c.remove(id).ok_or(VaultError::UnknownAccount { id }))?;
    println!("removed {id}  {}", removed.display_name());
    Ok(())
}
