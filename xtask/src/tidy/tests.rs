//! Each tidy check on small made-up trees: one that passes and one that fails.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::*;

/// A tree of files in a fresh temporary folder, removed on drop.
struct Tree(PathBuf);

impl Tree {
    fn new(files: &[(&str, &str)]) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "xtask-tidy-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        let tree = Tree(dir);
        for (path, text) in files {
            tree.write(path, text);
        }
        tree
    }

    fn write(&self, path: &str, text: &str) {
        let path = self.0.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn root(&self) -> &Path {
        &self.0
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn one_problem(problems: Vec<String>, needles: &[&str]) {
    assert_eq!(problems.len(), 1, "{problems:#?}");
    for needle in needles {
        assert!(problems[0].contains(needle), "`{needle}` not in: {}", problems[0]);
    }
}

// (a) commands named only by lib.rs

const LIB_NAMING_COMMANDS: &str = "//! Root.\nmod commands;\nmod tray;\n\
    fn run() { tauri::generate_handler![commands::a]; crate::commands::a(); }\n";

#[test]
fn commands_may_be_named_by_lib_and_by_itself() {
    let tree = Tree::new(&[
        ("src-tauri/src/lib.rs", LIB_NAMING_COMMANDS),
        ("src-tauri/src/commands/mod.rs", "//! Verbs.\nmod vault;\npub use crate::commands::vault::a;\n"),
        ("src-tauri/src/commands/vault.rs", "//! Vault verbs.\nuse crate::commands::a as b;\npub fn a() {}\n"),
        (
            "src-tauri/src/tray.rs",
            "//! Tray; see [`crate::commands::lock`].\n// calls commands::lock\n/* use crate::commands; */\n\
             fn f(commands: &[u8]) { let s = \"commands::lock\"; let r = r#\"crate::commands\"#; g(commands, s, r) }\n",
        ),
    ]);
    assert_eq!(commands_named_only_by_lib(tree.root()), Vec::<String>::new());
}

#[test]
fn commands_named_elsewhere_is_reported_with_file_and_line() {
    for (code, shown) in [
        ("use crate::commands;\n", "`crate::commands`"),
        ("use crate::{state, commands};\n", "`use crate::{state, commands};`"),
        ("fn f() { commands::lock(app) }\n", "`commands::`"),
        ("mod commands;\n", "`mod commands`"),
        ("fn f() { crate :: commands :: lock() }\n", "`crate::commands::`"),
    ] {
        let tree = Tree::new(&[
            ("src-tauri/src/lib.rs", LIB_NAMING_COMMANDS),
            ("src-tauri/src/commands.rs", "//! Verbs.\npub fn a() {}\n"),
            ("src-tauri/src/tray.rs", &format!("//! Tray.\n\n{code}")),
        ]);
        one_problem(
            commands_named_only_by_lib(tree.root()),
            &["src-tauri/src/tray.rs names", &format!("line 3 {shown}"), "only src-tauri/src/lib.rs may", "service"],
        );
    }
}

#[test]
fn every_mention_in_a_file_is_listed_in_one_problem() {
    let tree = Tree::new(&[
        ("src-tauri/src/lib.rs", LIB_NAMING_COMMANDS),
        ("src-tauri/src/commands.rs", "//! Verbs.\npub fn a() {}\n"),
        ("src-tauri/src/tray.rs", "//! Tray.\nuse crate::commands;\nfn f() { commands::lock() }\n"),
    ]);
    one_problem(commands_named_only_by_lib(tree.root()), &["(line 2 `crate::commands`, line 3 `commands::`)"]);
}

// (b) the four command lists

const BUILD_RS: &str = "//! Manifest.\nconst COMMANDS: &[&str] = &[\n    \"unlock_vault\",\n    \"copy_code\", // \"the card\"\n];\n\
    fn main() {}\n";
const LIB_RS: &str = "//! Root.\nmacro_rules! h { () => { tauri::generate_handler![\n    \
    $crate::commands::unlock_vault,\n    // $crate::commands::old_command,\n    $crate::scan::copy_code,\n] }; }\n";
const CAPABILITIES: &str = "{\n  \"identifier\": \"default\",\n  \"permissions\": [\n    \"core:event:allow-listen\",\n    \
    \"allow-unlock-vault\",\n    \"allow-copy-code\"\n  ]\n}\n";
const API_TS: &str = "export async function invoke<T>(cmd: string): Promise<T> { return invoker(cmd); }\n\
    export const api = {\n  unlock: (p: string) => invoke<void>(\"unlock_vault\", { p }),\n  \
    again: () => invoke<Map<string, number> | null>('unlock_vault'),\n};\n";
const SCAN_TS: &str = "import { invoke } from \"./api\";\nexport const copy = () => invoke(\"copy_code\");\n";

fn command_tree(build: &str, lib: &str, capabilities: &str, api: &str) -> Tree {
    Tree::new(&[
        ("src-tauri/build.rs", build),
        ("src-tauri/src/lib.rs", lib),
        ("src-tauri/capabilities/default.json", capabilities),
        ("ui/src/lib/api.ts", api),
        ("ui/src/lib/scan.ts", SCAN_TS),
        ("ui/src/lib/scan.test.ts", "invoke(\"only_in_a_test\");\n"),
        ("ui/src/lib/ipc/Settings.ts", "// invoke(\"generated\")\nexport type Settings = {};\n"),
    ])
}

#[test]
fn command_lists_that_agree_pass() {
    let tree = command_tree(BUILD_RS, LIB_RS, CAPABILITIES, API_TS);
    assert_eq!(command_lists_agree(tree.root()), Vec::<String>::new());
}

#[test]
fn a_command_missing_from_one_list_is_named_with_the_list() {
    let tree = command_tree(BUILD_RS, LIB_RS, &CAPABILITIES.replace(",\n    \"allow-copy-code\"", ""), API_TS);
    one_problem(
        command_lists_agree(tree.root()),
        &["`copy_code`", "but not in src-tauri/capabilities/default.json", "add it where it is missing"],
    );
    let tree = command_tree(BUILD_RS, &LIB_RS.replace("unlock_vault", "unlock"), CAPABILITIES, API_TS);
    let problems = command_lists_agree(tree.root());
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(problems[0].contains("`unlock`") && problems[0].contains("is in the handler list"));
    assert!(problems[1].contains("`unlock_vault`") && problems[1].contains("but not in the handler list"));
}

#[test]
fn a_command_named_twice_or_an_unreadable_list_is_reported() {
    let tree = command_tree(
        &BUILD_RS.replace("\"copy_code\",", "\"copy_code\", \"copy_code\","),
        LIB_RS,
        CAPABILITIES,
        API_TS,
    );
    one_problem(command_lists_agree(tree.root()), &["build.rs", "`copy_code` twice"]);
    let tree = command_tree(BUILD_RS, "//! Root.\nfn run() {}\n", CAPABILITIES, API_TS);
    one_problem(command_lists_agree(tree.root()), &["has no `tauri::generate_handler![…]`"]);
}

// (c) module docs

#[test]
fn files_opening_with_module_docs_pass_and_build_output_is_skipped() {
    let tree = Tree::new(&[
        ("crates/a/src/lib.rs", "//! A.\n"),
        ("xtask/src/main.rs", "//! Tasks.\n\nfn main() {}\n"),
        ("target/debug/build/x/out/gen.rs", "pub fn generated() {}\n"),
        ("fuzz/target/gen.rs", "pub fn generated() {}\n"),
        ("elsewhere/CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n"),
        ("elsewhere/gen.rs", "pub fn generated() {}\n"),
        ("ui/node_modules/pkg/x.rs", "fn x() {}\n"),
    ]);
    assert_eq!(files_open_with_module_docs(tree.root()), Vec::<String>::new());
}

#[test]
fn a_file_without_a_module_doc_first_is_named() {
    let tree = Tree::new(&[
        ("crates/a/src/lib.rs", "//! A.\n"),
        ("src-tauri/src/main.rs", "// No console window.\n//! Too late.\nfn main() {}\n"),
    ]);
    one_problem(files_open_with_module_docs(tree.root()), &["src-tauri/src/main.rs", "`//!`", "first line"]);
}

// (e) shell tests in `foo/tests.rs`

#[test]
fn inline_shell_tests_are_named_and_test_files_pass() {
    let tree = Tree::new(&[
        ("src-tauri/src/idle.rs", "//! Idle.\n\n#[cfg(test)]\nmod tests;\n"),
        ("src-tauri/src/idle/tests.rs", "//! Tests of idle.\n\n#[test]\nfn t() {}\n"),
        ("crates/a/src/lib.rs", "//! A.\n\n#[cfg(test)]\nmod tests {\n}\n"),
    ]);
    assert_eq!(shell_tests_in_their_own_files(tree.root()), Vec::<String>::new(), "other crates may keep them inline");
    tree.write(
        "src-tauri/src/seen.rs",
        "//! Seen.\n\n// not `mod tests {` in a comment\n#[cfg(test)]\nmod tests {\n}\n",
    );
    one_problem(
        shell_tests_in_their_own_files(tree.root()),
        &["src-tauri/src/seen.rs:5", "src-tauri/src/seen/tests.rs"],
    );
}

// (d) import circles

fn shell(files: &[(&str, &str)]) -> Tree {
    let mut all = vec![(
        "src-tauri/src/lib.rs",
        "//! Root.\nmod a;\nmod b;\nmod c;\n#[cfg(test)]\nmod tests;\nfn run() { a::x(); b::y(); c::z(); }\n",
    )];
    all.extend_from_slice(files);
    Tree::new(&all)
}

#[test]
fn layers_that_point_one_way_pass() {
    let tree = shell(&[
        ("src-tauri/src/a.rs", "//! Top.\nuse crate::{b::y, c};\nfn x() { crate::configure(); }\n"),
        ("src-tauri/src/b/mod.rs", "//! Middle.\nmod inner;\nuse super::c::z;\n"),
        ("src-tauri/src/b/inner.rs", "//! Inner.\nuse super::super::c;\nuse super::y;\nuse crate::b::y as w;\n"),
        (
            "src-tauri/src/c.rs",
            "//! Bottom; not `crate::a`.\nfn z() { let s = \"crate::a::x\"; }\n\
             #[cfg(test)]\n#[allow(unused)]\nmod tests {\n    use crate::a;\n    fn t() { crate::b::y() }\n}\n\
             #[cfg(test)]\nmod more_tests;\n",
        ),
        ("src-tauri/src/c/more_tests.rs", "//! Tests.\nuse crate::a::x;\n"),
        ("src-tauri/src/tests.rs", "//! Shared harness.\nuse crate::{a, b, c};\n"),
        ("src-tauri/src/main.rs", "//! Binary.\nfn main() { twofold::run() }\n"),
    ]);
    assert_eq!(no_import_circle(tree.root()), Vec::<String>::new());
    let edges = module_graph(tree.root(), &tree.root().join(SHELL_SRC)).unwrap();
    let targets = |m: &str| edges[m].keys().cloned().collect::<Vec<_>>();
    assert_eq!(targets("a"), ["b", "c"]);
    assert_eq!(targets("b"), ["c"]);
    assert_eq!(targets("c"), Vec::<String>::new());
}

#[test]
fn a_circle_is_reported_as_arrows_with_where() {
    let tree = shell(&[
        ("src-tauri/src/a.rs", "//! A.\nuse crate::{b::y, state};\n"),
        ("src-tauri/src/b.rs", "//! B.\n\nfn y() { crate::c::z() }\n"),
        ("src-tauri/src/c/mod.rs", "//! C.\nmod deep;\n"),
        ("src-tauri/src/c/deep.rs", "//! Deep.\n\n\nuse super::super::a;\n"),
    ]);
    one_problem(
        no_import_circle(tree.root()),
        &[
            "a → b → c → a",
            "a → b: src-tauri/src/a.rs:2",
            "b → c: src-tauri/src/b.rs:3",
            "c → a: src-tauri/src/c/deep.rs:4",
            "make the arrows point one way",
        ],
    );
}

#[test]
fn two_circles_are_two_problems() {
    let tree = shell(&[
        ("src-tauri/src/a.rs", "//! A.\nuse crate::b;\nuse crate::c;\n"),
        ("src-tauri/src/b.rs", "//! B.\nuse crate::a;\n"),
        ("src-tauri/src/c.rs", "//! C.\nuse crate::a;\n"),
    ]);
    let problems = no_import_circle(tree.root());
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(problems[0].contains("a → b → a"));
    assert!(problems[1].contains("a → c → a"));
}

// Text scanning

#[test]
fn code_only_blanks_comments_strings_and_chars_but_keeps_lifetimes_and_lines() {
    let text = "fn f<'a>(x: &'a str) -> char { // crate::a\n    let s = \"crate::b \\\" crate::c\"; /* crate::d /* nested */ */\n    \
                let r = br##\"crate::e \"# crate::f\"##; let q = '\"'; let e = '\\''; crate::g::h(s, r, q, e)\n}\n";
    let code = code_only(text);
    assert_eq!(code.lines().count(), text.lines().count());
    for hidden in ["crate::a", "crate::b", "crate::c", "crate::d", "crate::e", "crate::f"] {
        assert!(!code.contains(hidden), "{hidden} left in {code}");
    }
    assert!(code.contains("fn f<'a>(x: &'a str)"));
    assert!(code.contains("crate::g::h(s, r, q, e)"));
}

#[test]
fn invoked_commands_reads_every_call_shape() {
    let text = "invoke(\"a\"); invoke<T>( 'b', {}); invoke<Map<K, V> | null>(`c`); invoker(\"no\"); tauriInvoke(\"no\");\n\
                function invoke<T>(cmd: string) {}";
    assert_eq!(invoked_commands(text), ["a", "b", "c"]);
}
