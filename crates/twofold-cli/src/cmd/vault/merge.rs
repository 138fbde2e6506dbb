//! `twofold-cli merge FILE [--import-password-file P] [--dry-run] [--json]`: merge another copy of the vault
//! (any Twofold vault file, a synced or conflict copy, or one of our backups) into this vault, losing no edit
//! of either (the rules are `twofold_core::sync::merge`'s). Prints what came in, changed, was removed, kept
//! after a deletion, renamed, and every tie the merge broke; `--dry-run` writes nothing. The vault password
//! is read first, then FILE's.

use std::path::PathBuf;

use serde_json::{Value, json};
use twofold_core::sync::{self, MergeItem, MergeReport, TieKind};

use super::VaultOpts;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    vault: VaultOpts,
    /// The other vault or backup file.
    file: PathBuf,
    /// Read FILE's password from the first line of this file.
    #[arg(long, value_name = "FILE")]
    import_password_file: Option<PathBuf>,
    /// Show what the merge would do; change nothing.
    #[arg(long)]
    dry_run: bool,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let mut vault = args.vault.unlock()?;
    let password = match args.import_password_file.as_deref() {
        Some(file) => super::read_password_file(file)?,
        None => super::read_secret_line("Password of the file to merge: ")?,
    };
    let theirs = sync::open_copy(&args.file, &password)?;
    let report = if args.dry_run { sync::merge(vault.contents(), &theirs).1 } else { vault.merge_from(&theirs)? };
    if args.json {
        println!("{}", report_json(&report, args.dry_run));
    } else {
        print_report(&report, args.dry_run);
    }
    Ok(())
}

fn items(list: &[MergeItem]) -> Value {
    list.iter().map(|i| json!({"id": i.id.to_string(), "name": i.name})).collect()
}

fn tie_kind(kind: TieKind) -> &'static str {
    match kind {
        TieKind::Edit => "edit",
        TieKind::Deletion => "deletion",
        TieKind::UnknownField => "unknown-field",
        _ => "other",
    }
}

fn report_json(r: &MergeReport, dry_run: bool) -> Value {
    json!({
        "dry_run": dry_run,
        "added": items(&r.added),
        "changed": items(&r.changed),
        "removed": items(&r.removed),
        "kept_after_deletion": items(&r.kept_after_deletion),
        "renamed": r.renamed.iter().map(|x| json!({"from": x.from.to_string(), "to": x.to.to_string(), "name": x.name})).collect::<Value>(),
        "ties": r.ties.iter().map(|t| json!({"kind": tie_kind(t.kind), "id": t.id.map(|id| id.to_string()), "name": t.name})).collect::<Value>(),
    })
}

fn print_report(r: &MergeReport, dry_run: bool) {
    for (word, list) in [("added", &r.added), ("changed", &r.changed), ("removed", &r.removed)] {
        for i in list {
            println!("{word:<8} {}  {}", i.id, i.name);
        }
    }
    for i in &r.kept_after_deletion {
        println!("kept     {}  {} (deleted on one computer, edited later on another)", i.id, i.name);
    }
    for x in &r.renamed {
        println!("new id   {}  {} (another key used its id {})", x.to, x.name, x.from);
    }
    for t in &r.ties {
        let what = match t.kind {
            TieKind::Edit => "two edits with the same stamp",
            TieKind::Deletion => "an edit and a deletion with the same stamp; kept",
            _ => "a field this version does not know, different in both copies",
        };
        match t.id {
            Some(id) => println!("tie      {id}  {}: {what}", t.name),
            None => println!("tie      {}: {what}", t.name),
        }
    }
    let prefix = if dry_run { "dry run, nothing changed; would have " } else { "" };
    println!(
        "{prefix}added {}, changed {}, removed {}, kept {}, renamed {}, ties {}",
        r.added.len(),
        r.changed.len(),
        r.removed.len(),
        r.kept_after_deletion.len(),
        r.renamed.len(),
        r.ties.len()
    );
}
