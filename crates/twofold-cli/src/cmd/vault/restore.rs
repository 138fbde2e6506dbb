//! `twofold-cli restore FILE [--import-password-file P] [--replace] [--dry-run]`: restore a backup into the
//! vault. Prints one line per backup account (`new`, `same`, `changed`) and then what was done. Merge (the
//! default) adds new accounts and keeps every vault account; `--replace` makes the vault's accounts exactly
//! the backup's. The vault password is read first, then the backup's.

use std::path::PathBuf;

use twofold_core::backup::{self, RestoreMode, RestoreStatus};

use super::VaultOpts;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    vault: VaultOpts,
    /// The backup file.
    file: PathBuf,
    /// Read the backup's password from the first line of this file.
    #[arg(long, value_name = "FILE")]
    import_password_file: Option<PathBuf>,
    /// Replace the vault's accounts with the backup's (vault accounts the backup lacks are removed).
    #[arg(long)]
    replace: bool,
    /// Show what would be done; change nothing.
    #[arg(long)]
    dry_run: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let mut vault = args.vault.unlock()?;
    let password = super::backup_check::backup_password(args.import_password_file.as_deref())?;
    let opened = backup::open_backup(&args.file, &password)?;
    let mode = if args.replace { RestoreMode::Replace } else { RestoreMode::Merge };
    let plan = backup::preview(vault.contents(), &opened.contents);
    println!(
        "backup made {} with {}",
        backup::format_utc(opened.info.created),
        super::backup_check::accounts(opened.info.account_count)
    );
    for item in &plan.items {
        let status = match item.status {
            RestoreStatus::New => "new",
            RestoreStatus::Duplicate { .. } => "same",
            RestoreStatus::Changed => "changed",
        };
        println!("{status:<8} {}  {}", item.id, twofold_core::model::or_unnamed(&item.label));
    }
    let summary =
        if args.dry_run { plan.summary(mode) } else { backup::restore_into(&mut vault, &opened.contents, mode)? };
    let prefix = if args.dry_run { "dry run, nothing changed; would have " } else { "" };
    println!(
        "{prefix}added {}, skipped {}, replaced {}, removed {}",
        summary.added, summary.skipped, summary.replaced, summary.removed
    );
    Ok(())
}
