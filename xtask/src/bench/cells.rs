//! Cells of the printed tables: numbers as text, padded into columns.

/// Cells padded to `widths`, right-aligned but for the first when
/// `first_left`, joined by a space.
pub(crate) fn row(cells: &[String], widths: &[usize], first_left: bool) -> String {
    let padded: Vec<String> = cells
        .iter()
        .zip(widths)
        .enumerate()
        .map(|(i, (cell, &width))| {
            if i == 0 && first_left {
                format!("{cell:<width$}")
            } else {
                format!("{cell:>width$}")
            }
        })
        .collect();
    padded.join(" ")
}

/// The titles and the widths of `columns`.
pub(crate) fn split<const N: usize>(columns: [(&str, usize); N]) -> ([String; N], [usize; N]) {
    (
        columns.map(|(title, _)| title.to_owned()),
        columns.map(|(_, width)| width),
    )
}

/// A number with no decimals, or `-` when unknown.
pub(crate) fn whole(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{v:.0}"))
}

/// A number with one decimal (MiB, say), or `-` when unknown.
pub(crate) fn tenths(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{v:.1}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pads_and_formats() {
        let cells = ["a".to_owned(), "1".to_owned()];
        assert_eq!(row(&cells, &[3, 3], true), "a     1");
        assert_eq!(row(&cells, &[3, 3], false), "  a   1");
        assert_eq!(
            (whole(Some(2.6)), whole(None)),
            ("3".to_owned(), "-".to_owned())
        );
        assert_eq!(tenths(Some(1.25)), "1.2");
    }
}
