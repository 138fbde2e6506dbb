//! `twofold-cli init`: create an empty vault.

use twofold_core::vault::{KdfParams, VaultContents};

use super::VaultOpts;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    vault: VaultOpts,
    /// Argon2id memory in MiB (default 64; at least 19).
    #[arg(long, value_name = "MIB", default_value_t = KdfParams::DEFAULT.memory_kib / 1024)]
    kdf_memory: u32,
    /// Argon2id passes (default 3; at least 2).
    #[arg(long, value_name = "N", default_value_t = KdfParams::DEFAULT.passes)]
    kdf_passes: u32,
    /// Argon2id lanes, computed in parallel (default 4).
    #[arg(long, value_name = "N", default_value_t = KdfParams::DEFAULT.lanes)]
    kdf_lanes: u32,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let store = args.vault.store()?;
    if store.exists() {
        anyhow::bail!("a vault already exists at {}", store.path().display());
    }
    let kdf =
        KdfParams { memory_kib: args.kdf_memory.saturating_mul(1024), passes: args.kdf_passes, lanes: args.kdf_lanes }
            .check()?;
    let password = super::new_password(args.vault.password_file.as_deref(), "New vault password: ")?;
    store.create(&password, kdf, &VaultContents::new())?;
    println!("created {}", store.path().display());
    Ok(())
}
