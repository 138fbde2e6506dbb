//! The merge as it was before the fast path (one `Vec` of versions per id, every id through one map), kept
//! for the tests: the proptest in `merge.rs` checks that [`super::merge`] gives exactly its results, reports
//! included, on inputs that exercise every path (ties, tombstones, two keys under one id, an id held twice by
//! one copy).

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::*;

pub(super) fn merge(ours: &VaultContents, theirs: &VaultContents) -> (VaultContents, MergeReport) {
    let mut report = MergeReport::default();
    let mut tombstones = ours.tombstones.clone();
    for (id, stamp) in &theirs.tombstones {
        let slot = tombstones.entry(*id).or_insert(*stamp);
        *slot = (*slot).max(*stamp);
    }

    let mut entries: HashMap<AccountId, Vec<Version<'_>>> =
        HashMap::with_capacity(ours.accounts.len().max(theirs.accounts.len()) + 16);
    for (contents, side) in [(ours, Side::Ours), (theirs, Side::Theirs)] {
        for account in &contents.accounts {
            let explicit = contents.stamps.get(&account.id).copied();
            entries.entry(account.id).or_default().push(Version {
                account,
                stamp: explicit.unwrap_or_else(|| Stamp::implied(account.updated)),
                explicit: explicit.is_some(),
                extra: contents.unknown.accounts.get(&account.id),
                side,
                moved_from: None,
            });
        }
    }

    // Tombstones and key conflicts need a look only where an id has versions of more than one key or a
    // tombstone; everything else merges directly below.
    let mut work: Vec<AccountId> = entries
        .iter()
        .filter(|(id, versions)| {
            tombstones.contains_key(id) || !versions.iter().all(|v| super::same_key(v, &versions[0]))
        })
        .map(|(id, _)| *id)
        .collect();
    work.sort_unstable();
    // Each move goes to an id derived by SHA-256, so a chain of moves needs crafted collisions; the budget
    // only guarantees the loop ends whatever the input.
    let mut budget = 4 * (ours.accounts.len() + theirs.accounts.len()) + 16;
    let mut tombstone_sides: HashMap<AccountId, (bool, bool)> = HashMap::new();
    for id in ours.tombstones.keys() {
        tombstone_sides.entry(*id).or_default().0 = true;
    }
    for id in theirs.tombstones.keys() {
        tombstone_sides.entry(*id).or_default().1 = true;
    }
    while let Some(id) = work.pop() {
        let Some(versions) = entries.remove(&id) else { continue };
        let mut groups = split_by_key(versions);
        if let Some(deleted) = tombstones.get(&id) {
            groups.retain(|group| {
                let newest = group.iter().map(|v| v.stamp).max().unwrap_or_default();
                let keep = newest >= *deleted;
                if newest == *deleted {
                    report.ties.push(Tie {
                        kind: TieKind::Deletion,
                        id: Some(id),
                        name: group[0].account.display_name(),
                    });
                }
                if !keep {
                    if let Some(ours_version) = group.iter().find(|v| v.side == Side::Ours) {
                        let from = ours_version.moved_from.unwrap_or(id);
                        report.removed.push(MergeItem { id: from, name: ours_version.account.display_name() });
                    }
                } else {
                    let (in_ours, in_theirs) = tombstone_sides.get(&id).copied().unwrap_or_default();
                    let has = |side| group.iter().any(|v| v.side == side);
                    if (in_ours && !has(Side::Ours)) || (in_theirs && !has(Side::Theirs)) {
                        report.kept_after_deletion.push(MergeItem { id, name: group[0].account.display_name() });
                    }
                }
                keep
            });
        }
        if groups.len() > 1 {
            let mut keyed: Vec<([u8; 32], Vec<Version<'_>>)> =
                groups.into_iter().map(|g| (key_fingerprint(g[0].account), g)).collect();
            keyed.sort_by_key(|k| k.0);
            let mut rest = keyed.into_iter();
            if let Some((_, keeper)) = rest.next() {
                entries.insert(id, keeper);
            }
            for (fingerprint, group) in rest {
                let to = if budget > 0 { derived_id(id, &fingerprint) } else { AccountId::new_random() };
                budget = budget.saturating_sub(1);
                report.renamed.push(Renamed { from: id, to, name: group[0].account.display_name() });
                let target = entries.entry(to).or_default();
                target.extend(group.into_iter().map(|v| Version { moved_from: Some(v.moved_from.unwrap_or(id)), ..v }));
                if budget > 0 {
                    work.push(to);
                }
            }
        } else if let Some(group) = groups.pop() {
            entries.insert(id, group);
        }
    }

    let ours_by_id: HashMap<AccountId, &Account> = ours.accounts.iter().map(|a| (a.id, a)).collect();
    let mut merged = VaultContents::new();
    merged.accounts.reserve(entries.len());
    for (id, versions) in &entries {
        let (mut account, stamp, explicit, extra, tied) = join(versions);
        account.id = *id;
        if tied {
            report.ties.push(Tie { kind: TieKind::Edit, id: Some(*id), name: account.display_name() });
        }
        let from_ours = versions.iter().find(|v| v.side == Side::Ours);
        match from_ours {
            None => report.added.push(MergeItem { id: *id, name: account.display_name() }),
            Some(v) if v.moved_from.is_none() => {
                if ours_by_id.get(id).is_some_and(|a| **a != account) {
                    report.changed.push(MergeItem { id: *id, name: account.display_name() });
                }
            }
            Some(_) => {} // listed in `renamed`
        }
        if explicit {
            merged.stamps.insert(*id, stamp);
        }
        if let Some(extra) = extra {
            merged.unknown.accounts.insert(*id, extra.clone());
        }
        merged.accounts.push(account);
    }
    // One order whatever the argument order: the user's manual order, then id.
    merged.accounts.sort_unstable_by(|a, b| a.order.cmp(&b.order).then(a.id.cmp(&b.id)));
    merged.tombstones = tombstones;
    merged.unknown.top = merge_top(&ours.unknown.top, &theirs.unknown.top, &mut report);

    report.added.sort_by_key(|i| i.id);
    report.changed.sort_by_key(|i| i.id);
    report.removed.sort_by_key(|i| i.id);
    report.kept_after_deletion.sort_by_key(|i| i.id);
    report.renamed.sort_by_key(|r| (r.from, r.to));
    report.ties.sort_by(|a, b| (a.id, &a.name).cmp(&(b.id, &b.name)));
    (merged, report)
}

/// Joins versions of one key: the newest version's fields, the growing fields' maximum or union. Returns
/// the account, its stamp, whether that stamp is explicit, the unknown fields, and whether a tie was broken.
fn join<'a>(versions: &[Version<'a>]) -> (Account, Stamp, bool, Option<&'a Map<String, Value>>, bool) {
    let mut winner = versions[0];
    for v in &versions[1..] {
        if newer(v, &winner) == Ordering::Greater {
            winner = *v;
        }
    }
    let tied = versions.iter().any(|v| v.stamp == winner.stamp && tie_key(v.account) != tie_key(winner.account));
    let mut account = winner.account.clone();
    if versions.len() > 1 {
        if let OtpKind::Hotp { counter } = &mut account.otp.kind {
            for v in versions {
                if let OtpKind::Hotp { counter: c } = v.account.otp.kind {
                    *counter = (*counter).max(c);
                }
            }
        }
        for v in versions {
            account.use_count = account.use_count.max(v.account.use_count);
            account.last_used = account.last_used.max(v.account.last_used);
        }
        if versions.iter().any(|v| v.account.groups != winner.account.groups) {
            account.groups = union_groups(&winner.account.groups, versions);
        }
        if versions.iter().any(|v| v.account.recovery_codes != winner.account.recovery_codes) {
            account.recovery_codes = union_codes(&winner.account.recovery_codes, versions);
        }
    }
    (account, winner.stamp, winner.explicit, winner.extra, tied)
}
