//! Terminal capabilities, decided once at start-up from the environment (`NO_COLOR`, locale,
//! `--ascii`) and passed down to the theme and every widget; pure so it is table-tested.

use ratatui::symbols::border;

/// The parts of the environment that decide how we draw. Built by [`EnvSnapshot::from_env`] in
/// `main`, by hand in tests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnvSnapshot {
    pub(crate) no_color: Option<String>,
    pub(crate) lc_all: Option<String>,
    pub(crate) lc_ctype: Option<String>,
    pub(crate) lang: Option<String>,
    /// The `--ascii` command-line flag.
    pub(crate) ascii_flag: bool,
}

impl EnvSnapshot {
    /// Reads `NO_COLOR`, `LC_ALL`, `LC_CTYPE` and `LANG` from the process environment.
    pub fn from_env(ascii_flag: bool) -> Self {
        let var = |k: &str| std::env::var_os(k).map(|v| v.to_string_lossy().into_owned());
        EnvSnapshot {
            no_color: var("NO_COLOR"),
            lc_all: var("LC_ALL"),
            lc_ctype: var("LC_CTYPE"),
            lang: var("LANG"),
            ascii_flag,
        }
    }
}

/// What the terminal can show. Colour is the 16 named ANSI colours only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caps {
    pub color: bool,
    /// UTF-8 output: braille/blocks, box drawing, `●▲✖` symbols. False is ASCII mode.
    pub unicode: bool,
}

/// Box borders drawn with `+ - |` for ASCII mode.
pub(crate) const ASCII_BORDER: border::Set<'static> = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

impl Caps {
    /// Full colour and UTF-8: what tests use unless they test degradation.
    pub const FULL: Caps = Caps {
        color: true,
        unicode: true,
    };

    /// [`Caps::detect`] on the process environment.
    pub fn from_env(ascii_flag: bool) -> Caps {
        Caps::detect(&EnvSnapshot::from_env(ascii_flag))
    }

    pub fn detect(env: &EnvSnapshot) -> Caps {
        let color = env.no_color.as_deref().is_none_or(str::is_empty);
        Caps {
            color,
            unicode: !env.ascii_flag && locale_is_utf8(env),
        }
    }

    /// The border set every box uses.
    pub(crate) fn border(self) -> border::Set<'static> {
        if self.unicode {
            border::PLAIN
        } else {
            ASCII_BORDER
        }
    }
}

/// POSIX precedence: the first non-empty of `LC_ALL`, `LC_CTYPE`, `LANG` is the effective
/// locale; unset, `C` and `POSIX` are not UTF-8.
fn locale_is_utf8(env: &EnvSnapshot) -> bool {
    let effective = [&env.lc_all, &env.lc_ctype, &env.lang]
        .into_iter()
        .find_map(|v| v.as_deref().filter(|s| !s.is_empty()));
    effective.is_some_and(|v| {
        let v = v.to_ascii_lowercase();
        v.contains("utf-8") || v.contains("utf8")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(
        no_color: Option<&str>,
        all: Option<&str>,
        ctype: Option<&str>,
        lang: Option<&str>,
    ) -> EnvSnapshot {
        EnvSnapshot {
            no_color: no_color.map(String::from),
            lc_all: all.map(String::from),
            lc_ctype: ctype.map(String::from),
            lang: lang.map(String::from),
            ascii_flag: false,
        }
    }

    #[test]
    fn detection_table() {
        let cases = [
            // (env, color, unicode)
            (env(None, None, None, Some("en_US.UTF-8")), true, true),
            (env(Some("1"), None, None, Some("en_US.UTF-8")), false, true),
            (env(Some(""), None, None, Some("en_US.UTF-8")), true, true),
            (env(None, None, None, None), true, false),
            (env(None, None, None, Some("C")), true, false),
            (env(None, None, None, Some("POSIX")), true, false),
            (env(None, None, None, Some("ko_KR.utf8")), true, true),
            (env(None, None, None, Some("C.UTF-8")), true, true),
            (env(None, Some("C"), None, Some("en_US.UTF-8")), true, false),
            (env(None, None, Some("en_US.UTF-8"), Some("C")), true, true),
            (
                env(None, Some(""), Some("C"), Some("en_US.UTF-8")),
                true,
                false,
            ),
            (env(None, None, None, Some("en_US.ISO-8859-1")), true, false),
        ];
        for (i, (e, color, unicode)) in cases.into_iter().enumerate() {
            let caps = Caps::detect(&e);
            assert_eq!(
                (caps.color, caps.unicode),
                (color, unicode),
                "case {i}: {e:?}"
            );
        }
    }

    #[test]
    fn ascii_flag_wins_over_utf8_locale() {
        let mut e = env(None, None, None, Some("en_US.UTF-8"));
        e.ascii_flag = true;
        assert!(!Caps::detect(&e).unicode);
    }

    #[test]
    fn ascii_border_is_plain_ascii() {
        let b = Caps {
            color: true,
            unicode: false,
        }
        .border();
        for s in [
            b.top_left,
            b.vertical_left,
            b.horizontal_top,
            b.bottom_right,
        ] {
            assert!(s.is_ascii(), "{s}");
        }
        assert_eq!(Caps::FULL.border(), border::PLAIN);
    }
}
