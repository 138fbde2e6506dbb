//! `cargo xtask tidy`: the checks that keep the code's shape, by plain text scanning (in the manner of
//! rust-analyzer's `xtask/src/tidy.rs`).
//!
//! - the shell's `commands` module is named only by `src-tauri/src/lib.rs` (commands are leaves);
//! - the four lists of commands (`src-tauri/build.rs`, the handler in `lib.rs`, the capability file and the
//!   UI's `invoke` calls) name the same commands;
//! - every `.rs` file opens with a `//!` line;
//! - no import circle among the shell's top-level modules (`crate::x` references; a folder module and its
//!   children are one module; the crate root, which wires everything, and `#[cfg(test)]` code, like Cargo's
//!   dev-dependencies, are left out).
//!
//! Comments and string literals are blanked before code is searched, so a doc line naming `crate::commands`
//! is not a reference.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// `cargo xtask tidy`: runs every check on the workspace and reports every problem found.
pub fn tidy(_args: &[String]) -> Result<(), String> {
    let problems = check_all(&crate::setup::workspace_root());
    if problems.is_empty() {
        eprintln!("xtask: tidy: all checks passed");
        return Ok(());
    }
    for problem in &problems {
        eprintln!("tidy: {problem}");
    }
    Err(format!("tidy found {} problem(s), listed above", problems.len()))
}

/// Every problem in the tree at `root`, one sentence each.
pub fn check_all(root: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    problems.extend(commands_named_only_by_lib(root));
    problems.extend(command_lists_agree(root));
    problems.extend(files_open_with_module_docs(root));
    problems.extend(no_import_circle(root));
    problems.extend(shell_tests_in_their_own_files(root));
    problems
}

const SHELL_SRC: &str = "src-tauri/src";

// ---------------------------------------------------------------------------------------------------------
// (a) `commands` is named only by lib.rs

/// Files outside the `commands` module itself that name it (`use crate::commands`, `commands::x`,
/// `mod commands`): only `src-tauri/src/lib.rs` may.
fn commands_named_only_by_lib(root: &Path) -> Vec<String> {
    let src = root.join(SHELL_SRC);
    let mut problems = Vec::new();
    for file in rust_files(&src) {
        let rel = relative(&src, &file);
        if rel == Path::new("lib.rs") || rel == Path::new("main.rs") || rel.starts_with("commands") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&file) else { continue };
        let code = code_only(&text);
        let mentions: Vec<String> = mentions_of_module(&code, "commands")
            .into_iter()
            .map(|(at, how)| format!("line {} {how}", line_of(&code, at)))
            .collect();
        if !mentions.is_empty() {
            problems.push(format!(
                "{} names the module `commands` ({}): only {SHELL_SRC}/lib.rs may, commands are leaves; move what \
                 this file needs out of `commands` into a service module that both use",
                display(root, &file),
                mentions.join(", "),
            ));
        }
    }
    problems
}

/// Where `code` names module `name`: a path segment (`name::…`, `…::name`), inside a `use` item, or `mod name`.
fn mentions_of_module(code: &str, name: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let use_spans = use_items(code);
    for at in word_positions(code, name) {
        let before = code[..at].trim_end();
        let after = code[at + name.len()..].trim_start();
        let how = if after.starts_with("::") || before.ends_with("::") {
            let start = path_start(code, at);
            let name_end = at + name.len();
            let end = if after.starts_with("::") { code.len() - after.len() + 2 } else { name_end };
            format!("`{}`", squash(&code[start..end]))
        } else if before.ends_with("mod") && word_positions(before, "mod").last() == Some(&(before.len() - 3)) {
            format!("`mod {name}`")
        } else if let Some((start, end)) = use_spans.iter().copied().find(|&(s, e)| s <= at && at < e) {
            format!("`{}`", code[start..end].split_whitespace().collect::<Vec<_>>().join(" "))
        } else {
            continue;
        };
        found.push((at, how));
    }
    found
}

/// Where the path whose segment starts at `at` begins: `crate :: commands` → the offset of `crate`.
fn path_start(code: &str, at: usize) -> usize {
    let mut start = at;
    loop {
        let before = code[..start].trim_end();
        let Some(segment_end) = before.strip_suffix("::").map(|b| b.trim_end().len()) else { return start };
        let segment = code[..segment_end].rfind(|c: char| !(is_ident_char(c) || c == '$')).map_or(0, |i| i + 1);
        if segment == segment_end {
            return start;
        }
        start = segment;
    }
}

/// The spans of `use …;` items.
fn use_items(code: &str) -> Vec<(usize, usize)> {
    word_positions(code, "use")
        .into_iter()
        .filter_map(|at| code[at..].find(';').map(|end| (at, at + end + 1)))
        .collect()
}

// ---------------------------------------------------------------------------------------------------------
// (b) the four command lists agree

/// The app manifest (`build.rs`), the handler (`lib.rs`), the capability file and the UI's calls name the same
/// commands, each once.
fn command_lists_agree(root: &Path) -> Vec<String> {
    // The UI may call one command from several places; the shell's three lists name each once.
    let lists = [
        ("src-tauri/build.rs (the app manifest's COMMANDS)", true, manifest_commands(root)),
        ("the handler list in src-tauri/src/lib.rs (`tauri::generate_handler![…]`)", true, handler_commands(root)),
        ("src-tauri/capabilities/default.json (`allow-…` permissions)", true, capability_commands(root)),
        ("the UI's `invoke(\"…\")` calls in ui/src", false, ui_commands(root)),
    ];
    let mut problems = Vec::new();
    let mut present: Vec<(&str, BTreeSet<String>)> = Vec::new();
    for (what, once, list) in lists {
        match list {
            Err(e) => problems.push(e),
            Ok(names) if names.is_empty() => {
                problems.push(format!("{what} names no command: the tidy check could not read it; keep its shape"))
            }
            Ok(names) => {
                let mut seen = BTreeSet::new();
                for name in names {
                    if !seen.insert(name.clone()) && once {
                        problems.push(format!("{what} names `{name}` twice: remove one"));
                    }
                }
                present.push((what, seen));
            }
        }
    }
    if present.len() < 4 {
        return problems;
    }
    let all: BTreeSet<&String> = present.iter().flat_map(|(_, names)| names).collect();
    for name in all {
        let missing: Vec<&str> =
            present.iter().filter(|(_, names)| !names.contains(name)).map(|(what, _)| *what).collect();
        if missing.is_empty() {
            continue;
        }
        let has: Vec<&str> = present.iter().filter(|(_, names)| names.contains(name)).map(|(what, _)| *what).collect();
        problems.push(format!(
            "command `{name}` is in {} but not in {}: a command is declared, handled, granted and called in all four \
             places; add it where it is missing, or remove it from the others",
            has.join(", "),
            missing.join(", ")
        ));
    }
    problems
}

/// `const COMMANDS: &[&str] = &["…", …];` in `src-tauri/build.rs`.
fn manifest_commands(root: &Path) -> Result<Vec<String>, String> {
    let path = root.join("src-tauri/build.rs");
    let code = without_comments(&read(&path)?);
    let shape = || {
        format!(
            "{} has no `const COMMANDS: &[&str] = &[…]`: the app manifest's command list is read from it; keep that \
             constant",
            display(root, &path)
        )
    };
    let at = code.find("const COMMANDS").ok_or_else(shape)?;
    // `&[&str]` is the type; the list is the bracket after `=`.
    let eq = code[at..].find('=').map(|i| at + i).ok_or_else(shape)?;
    let open = code[eq..].find('[').map(|i| eq + i).ok_or_else(shape)?;
    let close = matching(&code, open, '[', ']').ok_or_else(shape)?;
    Ok(string_literals(&code[open..close]))
}

/// The last path segment of every entry of `tauri::generate_handler![…]` in `src-tauri/src/lib.rs`.
fn handler_commands(root: &Path) -> Result<Vec<String>, String> {
    let path = root.join(SHELL_SRC).join("lib.rs");
    let code = code_only(&read(&path)?);
    let shape = || {
        format!(
            "{} has no `tauri::generate_handler![…]`: the handler list is read from it; keep the handler in lib.rs",
            display(root, &path)
        )
    };
    let at = code.find("generate_handler!").ok_or_else(shape)?;
    let open = code[at..].find('[').map(|i| at + i).ok_or_else(shape)?;
    let close = matching(&code, open, '[', ']').ok_or_else(shape)?;
    Ok(code[open + 1..close]
        .split(',')
        .map(|entry| squash(entry).rsplit("::").next().unwrap_or_default().to_string())
        .filter(|name| !name.is_empty())
        .collect())
}

/// The `allow-…` permissions of `src-tauri/capabilities/default.json` (our own; `core:…` ones are not commands),
/// in snake case.
fn capability_commands(root: &Path) -> Result<Vec<String>, String> {
    let path = root.join("src-tauri/capabilities/default.json");
    let text = read(&path)?;
    let at = text.find("\"permissions\"").ok_or_else(|| {
        format!("{} has no \"permissions\" list: the granted commands are read from it", display(root, &path))
    })?;
    Ok(string_literals(&text[at + "\"permissions\"".len()..])
        .into_iter()
        .filter_map(|p| p.strip_prefix("allow-").map(|c| c.replace('-', "_")))
        .collect())
}

/// Every command the UI calls: `invoke("name", …)` or `invoke<T>("name", …)` in `ui/src` (tests and the
/// generated `ipc/` types left out).
fn ui_commands(root: &Path) -> Result<Vec<String>, String> {
    let src = root.join("ui/src");
    if !src.is_dir() {
        return Err(format!("{} is missing: the UI's calls are read from it", display(root, &src)));
    }
    let mut names = Vec::new();
    for file in files_under(&src, &|p| {
        let name = p.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        (name.ends_with(".ts") || name.ends_with(".svelte")) && !name.contains(".test.")
    }) {
        if relative(&src, &file).starts_with("lib/ipc") {
            continue;
        }
        names.extend(invoked_commands(&read(&file)?));
    }
    Ok(names)
}

/// The command names of `invoke("…")` / `invoke<T>("…")` calls in TypeScript.
fn invoked_commands(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for at in word_positions(text, "invoke") {
        let mut rest = text[at + "invoke".len()..].trim_start();
        if rest.starts_with('<') {
            let Some(close) = matching(rest, 0, '<', '>') else { continue };
            rest = rest[close + 1..].trim_start();
        }
        let Some(args) = rest.strip_prefix('(') else { continue };
        let args = args.trim_start();
        let Some(quote) = args.chars().next().filter(|c| matches!(c, '"' | '\'' | '`')) else { continue };
        if let Some(end) = args[1..].find(quote) {
            names.push(args[1..1 + end].to_string());
        }
    }
    names
}

// ---------------------------------------------------------------------------------------------------------
// (c) every .rs file opens with `//!`

fn files_open_with_module_docs(root: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for file in rust_files(root) {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        if !text.lines().next().is_some_and(|l| l.starts_with("//!")) {
            problems.push(format!(
                "{} does not open with a `//!` line: make its first line a module doc that says what the file is for",
                display(root, &file)
            ));
        }
    }
    problems
}

// ---------------------------------------------------------------------------------------------------------
// (e) the shell's tests live in `foo/tests.rs`, one convention (issue 20)

/// Shell modules that hold their tests inline (`mod tests {`) instead of in `foo/tests.rs` beside them.
fn shell_tests_in_their_own_files(root: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for file in rust_files(&root.join(SHELL_SRC)) {
        let code = code_only(&std::fs::read_to_string(&file).unwrap_or_default());
        if let Some(at) = code.find("mod tests {") {
            problems.push(format!(
                "{}:{} holds its tests inline: move the body of `mod tests {{ … }}` into `{}` and declare it with \
                 `#[cfg(test)] mod tests;` (the shell keeps tests in `foo/tests.rs`)",
                display(root, &file),
                line_of(&code, at),
                display(root, &file.with_extension("").join("tests.rs"))
            ));
        }
    }
    problems
}

// ---------------------------------------------------------------------------------------------------------
// (d) no import circle among the shell's modules

/// Why one module depends on another: the first reference found.
type Edges = BTreeMap<String, BTreeMap<String, String>>;

fn no_import_circle(root: &Path) -> Vec<String> {
    let src = root.join(SHELL_SRC);
    let edges = match module_graph(root, &src) {
        Ok(edges) => edges,
        Err(e) => return vec![e],
    };
    circles(&edges)
        .into_iter()
        .map(|cycle| {
            let arrows = cycle.join(" → ");
            let evidence: Vec<String> = cycle
                .windows(2)
                .map(|pair| format!("{} → {}: {}", pair[0], pair[1], edges[&pair[0]][&pair[1]]))
                .collect();
            format!(
                "import circle among the shell's modules: {arrows} ({}); make the arrows point one way: move what the \
                 lower module needs from the higher one into a module below both (a service), or pass it in as an \
                 argument",
                evidence.join("; ")
            )
        })
        .collect()
}

/// The shell's top-level modules and, for each, the modules its non-test code references.
fn module_graph(root: &Path, src: &Path) -> Result<Edges, String> {
    if !src.join("lib.rs").is_file() {
        return Err(format!("{}/lib.rs is missing: the module graph starts there", display(root, src)));
    }
    let files = rust_files(src);
    let mut modules: BTreeSet<String> = BTreeSet::new();
    let mut parsed = Vec::new();
    let mut test_only: Vec<Vec<String>> = Vec::new();
    for file in &files {
        let rel = relative(src, file);
        if rel == Path::new("main.rs") {
            continue; // the binary is its own crate
        }
        let path = module_path(&rel);
        if let Some(top) = path.first() {
            modules.insert(top.clone());
        }
        let code = code_only(&read(file)?);
        let (code, test_children) = without_test_code(&code);
        test_only.extend(test_children.into_iter().map(|child| [path.clone(), vec![child]].concat()));
        parsed.push((file, path, code));
    }
    let mut edges = Edges::new();
    for (file, path, code) in &parsed {
        let Some(top) = path.first() else { continue }; // the crate root wires everything; it is not a layer
        if test_only.iter().any(|t| path.starts_with(t)) {
            continue;
        }
        for (at, target) in references(code, path) {
            if &target != top && modules.contains(&target) {
                let why = format!("{}:{}", display(root, file), line_of(code, at));
                edges.entry(top.clone()).or_default().entry(target).or_insert(why);
            }
        }
        edges.entry(top.clone()).or_default();
    }
    Ok(edges)
}

/// `a.rs`, `a/mod.rs` → `[a]`; `a/b.rs` → `[a, b]`; `lib.rs` → `[]`.
fn module_path(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().to_string()).collect();
    if let Some(last) = parts.pop() {
        let stem = last.strip_suffix(".rs").unwrap_or(&last).to_string();
        if stem != "mod" && !(parts.is_empty() && stem == "lib") {
            parts.push(stem);
        }
    }
    parts
}

/// The top-level modules `code` (of the module at `path`) references, with where: `crate::x`, `crate::{x, y}`,
/// and `super::` chains that climb to the crate root.
fn references(code: &str, path: &[String]) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for at in word_positions(code, "crate") {
        if let Some(rest) = code[at + "crate".len()..].trim_start().strip_prefix("::") {
            found.extend(path_heads(rest).into_iter().map(|head| (at, head)));
        }
    }
    for at in word_positions(code, "super") {
        if code[..at].trim_end().ends_with("::") {
            continue; // counted from the first `super` of the chain
        }
        let mut rest = &code[at..];
        let mut climbs = 0;
        while let Some(after) = rest.strip_prefix("super").and_then(|r| r.trim_start().strip_prefix("::")) {
            climbs += 1;
            rest = after.trim_start();
        }
        if climbs == 0 || climbs > path.len() {
            continue;
        }
        let base = &path[..path.len() - climbs];
        match base.first() {
            Some(top) => found.push((at, top.clone())),
            None => found.extend(path_heads(rest).into_iter().map(|head| (at, head))),
        }
    }
    found
}

/// The first segments after a `crate::`: `x::…` → `[x]`, `{x::a, y}` → `[x, y]`.
fn path_heads(rest: &str) -> Vec<String> {
    let rest = rest.trim_start();
    if rest.starts_with('{') {
        let Some(close) = matching(rest, 0, '{', '}') else { return Vec::new() };
        split_top_level(&rest[1..close]).iter().filter_map(|item| leading_ident(item)).collect()
    } else {
        leading_ident(rest).into_iter().collect()
    }
}

/// `code` with `#[cfg(test)] mod x { … }` blocks blanked, and the names of `#[cfg(test)] mod x;` children.
fn without_test_code(code: &str) -> (String, Vec<String>) {
    let mut out = code.to_string();
    let mut children = Vec::new();
    let mut from = 0;
    while let Some(found) = out[from..].find("#[cfg(test)]") {
        let at = from + found;
        from = at + 1;
        let mut rest = &out[at + "#[cfg(test)]".len()..];
        // Other attributes and a visibility may stand between the `cfg` and the `mod`.
        loop {
            rest = rest.trim_start();
            if rest.starts_with("#[") {
                let Some(close) = matching(rest, 1, '[', ']') else { break };
                rest = &rest[close + 1..];
            } else if let Some(after) = rest.strip_prefix("pub") {
                rest = after.trim_start();
                if rest.starts_with('(') {
                    let Some(close) = matching(rest, 0, '(', ')') else { break };
                    rest = &rest[close + 1..];
                }
            } else {
                break;
            }
        }
        let Some(after_mod) = rest.strip_prefix("mod").filter(|r| r.starts_with(char::is_whitespace)) else {
            continue;
        };
        let Some(name) = leading_ident(after_mod) else { continue };
        let after_name = after_mod.trim_start()[name.len()..].trim_start();
        if after_name.starts_with(';') {
            children.push(name);
        } else if after_name.starts_with('{') {
            let open = out.len() - after_name.len();
            if let Some(close) = matching(&out, open, '{', '}') {
                let blank: String = out[open..=close].chars().map(|c| if c == '\n' { '\n' } else { ' ' }).collect();
                out.replace_range(open..=close, &blank);
            }
        }
    }
    (out, children)
}

/// Every distinct circle in the graph, each as the shortest one through some module, written `a, b, …, a` from
/// its smallest name.
fn circles(edges: &Edges) -> Vec<Vec<String>> {
    let mut found: BTreeSet<Vec<String>> = BTreeSet::new();
    for start in edges.keys() {
        if let Some(mut cycle) = shortest_cycle(edges, start) {
            cycle.pop();
            let smallest = (0..cycle.len()).min_by_key(|&i| &cycle[i]).unwrap_or(0);
            cycle.rotate_left(smallest);
            let first = cycle[0].clone();
            cycle.push(first);
            found.insert(cycle);
        }
    }
    found.into_iter().collect()
}

/// The shortest path from `start` back to `start` (breadth first), as `start, …, start`.
fn shortest_cycle(edges: &Edges, start: &String) -> Option<Vec<String>> {
    let mut came_from: BTreeMap<&String, &String> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(node) = queue.pop_front() {
        for next in edges.get(node).into_iter().flat_map(BTreeMap::keys) {
            if next == start {
                let mut path = vec![start.clone()];
                let mut at = node;
                while at != start {
                    path.push(at.clone());
                    at = came_from[at];
                }
                path.push(start.clone());
                path.reverse();
                return Some(path);
            }
            if !came_from.contains_key(next) {
                came_from.insert(next, node);
                queue.push_back(next);
            }
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------------------
// Text scanning

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `text` with comments and the insides of string and character literals blanked (newlines kept), so a search
/// sees only code.
fn code_only(text: &str) -> String {
    blanked(text, true)
}

/// `text` with its comments blanked and its literals kept.
fn without_comments(text: &str) -> String {
    blanked(text, false)
}

fn blanked(text: &str, literals: bool) -> String {
    let chars: Vec<char> = text.chars().collect();
    let blank_comment = |c: char| if c == '\n' { '\n' } else { ' ' };
    let blank = |c: char| if c == '\n' || !literals { c } else { ' ' };
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
            continue;
        }
        if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank_comment(chars[i]));
                    i += 1;
                }
            }
            continue;
        }
        let starts_token = i == 0 || !is_ident_char(chars[i - 1]);
        if starts_token && (c == 'r' || (c == 'b' && next == Some('r'))) {
            let open = if c == 'b' { i + 2 } else { i + 1 };
            let mut quote = open;
            while chars.get(quote) == Some(&'#') {
                quote += 1;
            }
            if chars.get(quote) == Some(&'"') {
                let hashes = quote - open;
                out.extend(&chars[i..=quote]);
                i = quote + 1;
                while i < chars.len() {
                    if chars[i] == '"' && (1..=hashes).all(|k| chars.get(i + k) == Some(&'#')) {
                        out.extend(&chars[i..=i + hashes]);
                        i += hashes + 1;
                        break;
                    }
                    out.push(blank(chars[i]));
                    i += 1;
                }
                continue;
            }
        }
        if c == '"' {
            out.push('"');
            i += 1;
            while i < chars.len() {
                match chars[i] {
                    '\\' => {
                        out.push(blank('\\'));
                        if let Some(&escaped) = chars.get(i + 1) {
                            out.push(blank(escaped));
                        }
                        i += 2;
                    }
                    '"' => {
                        out.push('"');
                        i += 1;
                        break;
                    }
                    other => {
                        out.push(blank(other));
                        i += 1;
                    }
                }
            }
            continue;
        }
        // A character literal ('x', '\n', '\u{..}'); a lifetime ('a) has no closing quote right after.
        if c == '\'' {
            let close = if next == Some('\\') {
                (i + 3..chars.len().min(i + 13)).find(|&j| chars[j] == '\'')
            } else if chars.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            if let Some(close) = close {
                out.push('\'');
                out.extend((i + 1..close).map(|j| blank(chars[j])));
                out.push('\'');
                i = close + 1;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Byte offsets where `word` stands alone (not part of a longer identifier).
fn word_positions(text: &str, word: &str) -> Vec<usize> {
    text.match_indices(word)
        .map(|(at, _)| at)
        .filter(|&at| {
            let before = text[..at].chars().next_back().is_none_or(|c| !is_ident_char(c));
            let after = text[at + word.len()..].chars().next().is_none_or(|c| !is_ident_char(c));
            before && after
        })
        .collect()
}

/// The byte offset of the bracket closing the one at `open`.
fn matching(text: &str, open: usize, left: char, right: char) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in text[open..].char_indices() {
        if c == left {
            depth += 1;
        } else if c == right {
            depth = depth.checked_sub(1)?;
            if depth == 0 {
                return Some(open + i);
            }
        }
    }
    None
}

/// `a, b::{c, d}, e` → `["a", "b::{c, d}", "e"]`.
fn split_top_level(text: &str) -> Vec<&str> {
    let (mut items, mut depth, mut start) = (Vec::new(), 0i32, 0);
    for (i, c) in text.char_indices() {
        match c {
            '{' | '(' | '[' => depth += 1,
            '}' | ')' | ']' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&text[start..]);
    items
}

fn leading_ident(text: &str) -> Option<String> {
    let text = text.trim_start();
    let end = text.find(|c: char| !is_ident_char(c)).unwrap_or(text.len());
    (end > 0).then(|| text[..end].to_string())
}

/// The contents of every `"…"` literal in `text` (no escapes needed for command names).
fn string_literals(text: &str) -> Vec<String> {
    text.split('"').skip(1).step_by(2).map(str::to_string).collect()
}

/// Whitespace removed: `crate :: commands` → `crate::commands`.
fn squash(text: &str) -> String {
    text.split_whitespace().collect()
}

fn line_of(text: &str, at: usize) -> usize {
    text[..at].matches('\n').count() + 1
}

// ---------------------------------------------------------------------------------------------------------
// Files

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn relative(base: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(base).unwrap_or(path).to_path_buf()
}

fn display(root: &Path, path: &Path) -> String {
    relative(root, path).display().to_string()
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    files_under(dir, &|p| p.extension().is_some_and(|e| e == "rs"))
}

/// Files under `dir` that `keep` accepts, sorted; build output (`target/`, any folder Cargo marked with a
/// `CACHEDIR.TAG`), `node_modules` and hidden folders are skipped.
fn files_under(dir: &Path, keep: &dyn Fn(&Path) -> bool) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        if dir.join("CACHEDIR.TAG").exists() {
            continue;
        }
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().to_string();
            let Ok(kind) = entry.file_type() else { continue };
            if kind.is_dir() {
                if !(name.starts_with('.') || name == "target" || name == "node_modules") {
                    stack.push(path);
                }
            } else if kind.is_file() && keep(&path) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

#[cfg(test)]
mod tests;
