//! `twofold-cli backup-check FILE [--import-password-file P]`: open a backup and print how many accounts it
//! holds and when it was made. Touches no vault.

use std::path::PathBuf;

use twofold_core::backup;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The backup file.
    file: PathBuf,
    /// Read the backup's password from the first line of this file instead of the terminal or standard input.
    #[arg(long, value_name = "FILE")]
    import_password_file: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let password = backup_password(args.import_password_file.as_deref())?;
    let info = backup::check_backup(&args.file, &password)?;
    println!("{}, made {}", accounts(info.account_count), backup::format_utc(info.created));
    Ok(())
}

/// The password of a backup to read: from a file, else the terminal or the next line of standard input.
pub fn backup_password(file: Option<&std::path::Path>) -> anyhow::Result<zeroize::Zeroizing<String>> {
    match file {
        Some(file) => super::read_password_file(file),
        None => super::read_secret_line("Backup password: "),
    }
}

/// `1 account`, `3 accounts`.
pub fn accounts(n: usize) -> String {
    if n == 1 { String::from("1 account") } else { format!("{n} accounts") }
}
