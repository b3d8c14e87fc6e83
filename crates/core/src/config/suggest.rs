//! "Did you mean" hints for configuration errors: the valid names closest to a misspelt one.

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Up to `n` candidates close to `word`, closest first.
pub(crate) fn closest_n<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    n: usize,
) -> Vec<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|&(d, c)| d <= limit || (c.contains(word) && word.len() >= 3))
        .collect();
    scored.sort_by_key(|&(d, c)| (d, c));
    scored.dedup_by_key(|&mut (_, c)| c);
    scored.into_iter().take(n).map(|(_, c)| c).collect()
}

/// The single closest candidate, if any is close.
pub(crate) fn closest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    closest_n(word, candidates, 1).into_iter().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }

    #[test]
    fn closest_names() {
        let names = ["seoul.requests", "seoul.p99", "virginia.requests"];
        assert_eq!(closest("seoul.reqests", names), Some("seoul.requests"));
        assert_eq!(closest("zzz", names), None);
        assert_eq!(
            closest_n("requests", names, 3),
            vec!["seoul.requests", "virginia.requests"]
        );
    }
}
