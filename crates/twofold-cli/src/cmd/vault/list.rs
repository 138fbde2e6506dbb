//! `twofold-cli list [--json]`: the accounts, without secrets.

use super::VaultOpts;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    vault: VaultOpts,
    /// Print a JSON array (metadata only, never secrets).
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let vault = args.vault.unlock()?;
    let mut accounts: Vec<_> = vault.contents().accounts.iter().collect();
    accounts.sort_by_key(|a| (!a.favorite, a.order));
    if args.json {
        let list: Vec<_> = accounts.iter().map(|a| super::account_json(a, false)).collect();
        println!("{}", serde_json::Value::Array(list));
    } else {
        for a in accounts {
            println!("{}  {:<5}  {}", a.id, super::kind_name(a.otp.kind), a.display_name());
        }
    }
    Ok(())
}
