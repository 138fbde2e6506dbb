//! One module per subcommand, and what they share: reading a link argument and the clock.

pub mod code;
pub mod export;
pub mod inspect;
pub mod scan;
pub mod vault;

use std::io::BufRead as _;

use anyhow::Context as _;
use zeroize::Zeroizing;

/// The link given on the command line, or read from the first line of standard input when it is `-` (so
/// that the secret does not appear in the process list).
pub fn read_link(arg: &str) -> anyhow::Result<Zeroizing<String>> {
    if arg != "-" {
        return Ok(Zeroizing::new(arg.to_owned()));
    }
    let mut line = Zeroizing::new(String::new());
    std::io::stdin().lock().read_line(&mut line).context("reading the link from standard input")?;
    Ok(Zeroizing::new(line.trim().to_owned()))
}

/// True for Google Authenticator transfer links.
pub fn is_migration_link(link: &str) -> bool {
    link.trim_start().get(..20).is_some_and(|head| head.eq_ignore_ascii_case("otpauth-migration://"))
}

/// The current Unix time: binaries are the only place that reads the clock.
pub fn now_unsigned() -> anyhow::Result<u64> {
    Ok(std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .context("the system clock is before 1970")?
        .as_secs())
}

/// The current time in Unix seconds.
pub fn now() -> anyhow::Result<i64> {
    let elapsed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .context("the system clock is before 1970")?;
    i64::try_from(elapsed.as_secs()).context("the system clock is out of range")
}
