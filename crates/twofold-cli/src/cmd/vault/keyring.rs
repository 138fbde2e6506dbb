//! `twofold-cli keyring enable [--days N] | disable | status`: the keyring unlock on this computer
//! (docs/vault-format.md, "Device slots"). `enable` asks for the password and makes a fresh device key and
//! slot (replacing this computer's previous one); the key opens the vault for N days (default 7), then the
//! password is asked again. `disable` removes the slot and the keyring item. `status` says whether
//! `--keyring` would open the vault now, and if not, why.

use anyhow::bail;
use twofold_keyring::{DEFAULT_DAYS, DEFAULT_TIMEOUT, SecretStore, SystemKeyring, item_name};

use super::VaultOpts;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand, Debug)]
enum Action {
    /// Turn the keyring unlock on (asks for the password).
    Enable {
        #[command(flatten)]
        vault: VaultOpts,
        /// Ask for the password again after this many days (1 to 365).
        #[arg(long, default_value_t = DEFAULT_DAYS)]
        days: u16,
    },
    /// Turn it off: remove this computer's slot from the vault and its item from the keyring.
    Disable {
        #[command(flatten)]
        vault: VaultOpts,
    },
    /// Say whether --keyring would open the vault now, or why not.
    Status {
        #[command(flatten)]
        vault: VaultOpts,
    },
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let keyring = SystemKeyring::new(DEFAULT_TIMEOUT);
    match args.action {
        Action::Enable { vault, days } => {
            let mut opened = vault.unlock_with_password("keyring enable")?;
            let previous = this_computers_slot(&opened, &keyring);
            twofold_keyring::enroll(&mut opened, &keyring, previous, days, crate::cmd::now_unsigned()?)
                .map_err(|f| anyhow::anyhow!("could not turn the keyring unlock on: {f}"))?;
            println!("the keyring unlock is on for {days} days");
        }
        Action::Disable { vault } => {
            let mut opened = vault.unlock()?;
            twofold_keyring::disable(&mut opened, &keyring, None)
                .map_err(|f| anyhow::anyhow!("could not turn the keyring unlock off: {f}"))?;
            println!("the keyring unlock is off");
        }
        Action::Status { vault } => {
            let store = vault.store()?;
            match twofold_keyring::probe(&store, &keyring, None, crate::cmd::now_unsigned()?) {
                Ok(_) => println!("--keyring opens this vault"),
                Err(failure) => bail!("--keyring does not open this vault: {failure}"),
            }
        }
    }
    Ok(())
}

/// The device slot whose item is in this keyring, if any (a failing keyring counts as none: enrolling will
/// then fail with the keyring's reason).
fn this_computers_slot(vault: &twofold_core::vault::Vault, keyring: &SystemKeyring) -> Option<[u8; 16]> {
    vault.device_slots().into_iter().map(|s| s.id).find(|id| matches!(keyring.get(&item_name(id)), Ok(Some(_))))
}
