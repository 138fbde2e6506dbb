//! `twofold-cli edit ID [--issuer …] [--name …] [--note …] [--group …] [--clear-groups] [--favorite B]
//! [--order N]`: change an account's metadata.

use twofold_core::vault::VaultError;

use super::VaultOpts;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    vault: VaultOpts,
    /// The account id (or a query matching exactly one account).
    id: String,
    #[arg(long)]
    issuer: Option<String>,
    #[arg(long)]
    name: Option<String>,
    #[arg(long)]
    note: Option<String>,
    /// Add a group (repeatable).
    #[arg(long = "group", value_name = "GROUP")]
    groups: Vec<String>,
    /// Remove every group first.
    #[arg(long)]
    clear_groups: bool,
    #[arg(long, value_name = "true|false")]
    favorite: Option<bool>,
    #[arg(long, allow_negative_numbers = true)]
    order: Option<i64>,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let now = crate::cmd::now()?;
    let mut vault = args.vault.unlock()?;
    let id = super::find_one(&vault.contents().accounts, &args.id)?.id;
    let label = vault.update(|c| -> Result<String, VaultError> {
        let a = c.account_mut(id).ok_or(VaultError::UnknownAccount { id })?;
        if let Some(v) = args.issuer {
            a.issuer = v;
        }
        if let Some(v) = args.name {
            a.name = v;
        }
        if let Some(v) = args.note {
            a.note = v;
        }
        if args.clear_groups {
            a.groups.clear();
        }
        a.groups.extend(args.groups);
        if let Some(v) = args.favorite {
            a.favorite = v;
        }
        if let Some(v) = args.order {
            a.order = v;
        }
        a.updated = now;
        Ok(a.display_name())
    })?;
    println!("{id}  {label}");
    Ok(())
}
