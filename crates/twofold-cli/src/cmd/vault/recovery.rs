//! `twofold-cli recovery-codes ID [--add CODE]… [--mark-used CODE|NUMBER]… [--mark-unused …]`: the
//! service's backup codes kept with an account. Without options, lists them (this shows them: that is what
//! the command is for).

use twofold_core::model::RecoveryCode;
use twofold_core::vault::VaultError;
use zeroize::Zeroizing;

use super::VaultOpts;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    vault: VaultOpts,
    /// The account id (or a query matching exactly one account).
    id: String,
    /// Add a code (repeatable), or `-` to read codes from standard input, one per line, until an empty line.
    #[arg(long = "add", value_name = "CODE")]
    add: Vec<String>,
    /// Mark a code used, by its text or its number in the list (repeatable).
    #[arg(long = "mark-used", value_name = "CODE|N")]
    mark_used: Vec<String>,
    /// Mark a code unused again (repeatable).
    #[arg(long = "mark-unused", value_name = "CODE|N")]
    mark_unused: Vec<String>,
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let mut vault = args.vault.unlock()?;
    let id = super::find_one(&vault.contents().accounts, &args.id)?.id;
    let mut to_add: Vec<Zeroizing<String>> = Vec::new();
    for code in &args.add {
        if code == "-" {
            loop {
                let line = super::read_secret_line("Recovery code (empty to finish): ")?;
                if line.trim().is_empty() {
                    break;
                }
                to_add.push(Zeroizing::new(line.trim().to_owned()));
            }
        } else {
            to_add.push(Zeroizing::new(code.trim().to_owned()));
        }
    }
    if !to_add.is_empty() || !args.mark_used.is_empty() || !args.mark_unused.is_empty() {
        let now = crate::cmd::now()?;
        vault.update(|c| -> anyhow::Result<()> {
            let a = c.account_mut(id).ok_or(VaultError::UnknownAccount { id })?;
            for code in to_add {
                a.recovery_codes.push(RecoveryCode { code, used: false });
            }
            for (marks, used) in [(&args.mark_used, true), (&args.mark_unused, false)] {
                for which in marks {
                    let index = match which.parse::<usize>() {
                        Ok(n) if (1..=a.recovery_codes.len()).contains(&n) => n - 1,
                        _ => a
                            .recovery_codes
                            .iter()
                            .position(|c| c.code.as_str() == which.trim())
                            .ok_or_else(|| anyhow::anyhow!("no recovery code {which} on this account"))?,
                    };
                    a.recovery_codes[index].used = used;
                }
            }
            a.updated = now;
            Ok(())
        })?;
    }
    let account = vault.contents().account(id).ok_or(VaultError::UnknownAccount { id })?;
    if args.json {
        let list: Vec<_> = account
            .recovery_codes
            .iter()
            .map(|c| serde_json::json!({"code": c.code.as_str(), "used": c.used}))
            .collect();
        println!("{}", serde_json::Value::Array(list));
    } else {
        let unused = account.recovery_codes.iter().filter(|c| !c.used).count();
        println!("{}: {unused} of {} recovery codes unused", account.display_name(), account.recovery_codes.len());
        for (i, c) in account.recovery_codes.iter().enumerate() {
            println!("{:>3}. {}{}", i + 1, c.code.as_str(), if c.used { "  (used)" } else { "" });
        }
    }
    Ok(())
}
