//! `twofold-cli show ID [--reveal] [--json]`: one account; its secret and recovery codes only with
//! `--reveal`.

use super::VaultOpts;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    vault: VaultOpts,
    /// The account id (or a query matching exactly one account).
    id: String,
    /// Also print the secret (base32) and the recovery codes.
    #[arg(long)]
    reveal: bool,
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let vault = if args.reveal { args.vault.unlock_with_password("show --reveal")? } else { args.vault.unlock()? };
    let account = super::find_one(&vault.contents().accounts, &args.id)?;
    let value = super::account_json(account, args.reveal);
    if args.json {
        println!("{value}");
        return Ok(());
    }
    if let serde_json::Value::Object(map) = value {
        for (key, v) in map {
            match v {
                serde_json::Value::String(s) => println!("{key}: {s}"),
                serde_json::Value::Array(list) if key == "recovery_codes" => {
                    for c in list {
                        let used = if c["used"].as_bool().unwrap_or(false) { " (used)" } else { "" };
                        println!("recovery code: {}{used}", c["code"].as_str().unwrap_or_default());
                    }
                }
                other => println!("{key}: {other}"),
            }
        }
    }
    Ok(())
}
