//! `twofold-cli scan IMAGE…`: print every authenticator link in the QR codes of the images.
//!
//! One link per line (`otpauth://` and `otpauth-migration://`), file by file in argument order and in
//! reading order within a file. Decoding is `twofold_core::qr::scan_files`, exactly what the app runs on an
//! image or a screenshot. An image without a code, or whose codes are not authenticator links, is an error
//! (exit 2) naming the file; nothing is printed then, so a script never gets half a list.

use std::io::Write as _;
use std::path::PathBuf;

use anyhow::Context as _;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// PNG, JPEG, WebP or GIF files (screenshots, photos of a setup code).
    #[arg(value_name = "IMAGE", required = true)]
    images: Vec<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let links = twofold_core::qr::scan_files(&args.images)?;
    let mut out = std::io::stdout().lock();
    for link in &links {
        writeln!(out, "{}", link.as_str()).context("writing to standard output")?;
    }
    out.flush().context("writing to standard output")
}
