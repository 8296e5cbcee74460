//! Small bar charts drawn on the server as SVG geometry (no script): the template only places
//! the rectangles and labels computed here.

/// One bar: its segments stacked from the bottom, as (css class, height), and its label.
pub struct Bar {
    pub x: f64,
    pub label: String,
    /// (class, y, height) of each segment.
    pub segments: Vec<(&'static str, f64, f64)>,
    /// What the bar says in words (the chart's accessible text).
    pub title: String,
}

pub struct BarChart {
    pub width: f64,
    pub height: f64,
    pub bar_width: f64,
    pub bars: Vec<Bar>,
    /// A horizontal reference line (y), e.g. a threshold, with its label.
    pub rule: Option<(f64, String)>,
    /// The largest value shown, for the axis label.
    pub max_label: String,
}

/// One bar as given: its label, its parts from the bottom up as (css class, value), and what it
/// says in words.
pub type BarInput = (String, Vec<(&'static str, f64)>, String);

const HEIGHT: f64 = 140.0;
const TOP: f64 = 10.0;
const BAR_SPACE: f64 = 28.0;

/// Stacked bars: one per label, each a list of (class, value) from the bottom up. `scale_max`
/// fixes the top of the scale (100 for percentages); otherwise the largest stack sets it.
pub fn stacked(
    bars: Vec<BarInput>,
    scale_max: Option<f64>,
    rule: Option<(f64, String)>,
    unit: &str,
) -> BarChart {
    let largest = bars
        .iter()
        .map(|(_, parts, _)| parts.iter().map(|(_, v)| v).sum::<f64>())
        .fold(0.0, f64::max);
    let max = scale_max.unwrap_or(largest).max(1.0);
    let y_of = |value: f64| TOP + HEIGHT * (1.0 - value / max);
    let bars = bars
        .into_iter()
        .enumerate()
        .map(|(i, (label, parts, title))| {
            let mut bottom = 0.0;
            let segments = parts
                .into_iter()
                .filter(|(_, v)| *v > 0.0)
                .map(|(class, value)| {
                    let top = bottom + value;
                    let segment = (class, y_of(top), HEIGHT * value / max);
                    bottom = top;
                    segment
                })
                .collect();
            Bar {
                x: 30.0 + i as f64 * BAR_SPACE,
                label,
                segments,
                title,
            }
        })
        .collect::<Vec<_>>();
    BarChart {
        width: 40.0 + bars.len() as f64 * BAR_SPACE,
        height: TOP + HEIGHT + 24.0,
        bar_width: BAR_SPACE * 0.7,
        bars,
        rule: rule.map(|(value, label)| (y_of(value), label)),
        max_label: format!("{max:.0}{unit}"),
    }
}

#[cfg(test)]
mod tests {
    use super::stacked;

    #[test]
    fn stacks_sit_on_the_baseline_and_scale_to_the_largest() {
        let chart = stacked(
            vec![
                ("w1".into(), vec![("a", 2.0), ("b", 2.0)], "4".into()),
                ("w2".into(), vec![("a", 1.0), ("b", 0.0)], "1".into()),
            ],
            None,
            None,
            "",
        );
        let first = &chart.bars[0].segments;
        // The first stack fills the chart: 150 (top 10 + height 140) is the baseline.
        assert_eq!(first[0], ("a", 80.0, 70.0));
        assert_eq!(first[1], ("b", 10.0, 70.0));
        assert_eq!(
            chart.bars[1].segments.len(),
            1,
            "empty segments are not drawn"
        );
        assert_eq!(chart.max_label, "4");
        let percent = stacked(
            vec![("w".into(), vec![("a", 50.0)], "".into())],
            Some(100.0),
            Some((20.0, "20 %".into())),
            " %",
        );
        assert_eq!(percent.rule.as_ref().unwrap().0, 122.0);
        assert_eq!(percent.max_label, "100 %");
    }
}
