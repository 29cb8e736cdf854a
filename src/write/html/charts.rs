//! The page's three charts as inline SVG: bars against a target, lines over months, columns
//! over months. Each has a title, labelled axes and its values written on it, so it reads on
//! paper and with a screen reader (`role="img"` and a `<title>`). Coordinates are rounded to a
//! tenth of a pixel: the same inputs give the same bytes.

use maud::{html, Markup};

/// The blue of the workbook's charts and titles.
const BLUE: &str = "#1f3864";
/// The target's dashed line (dark red: 7:1 on white).
const TARGET: &str = "#9c0006";
/// Gridlines and axis.
const GRID: &str = "#c8c8c8";
/// Axis labels (6:1 on white).
const MUTED: &str = "#595959";

/// One value of a chart: its category, its value (none: a gap) and the value as shown.
#[derive(Debug, Clone)]
pub struct Point {
    /// The category (a directorate, a month).
    pub label: String,
    /// The value, a fraction for a percentage.
    pub value: Option<f64>,
    /// The value as written on the chart (`43,8 %`).
    pub shown: String,
}

/// A number for an SVG attribute: a tenth of a pixel, no `-0`.
fn px(v: f64) -> String {
    let s = format!("{v:.1}");
    let s = s.strip_suffix(".0").unwrap_or(&s).to_string();
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

/// An `<svg>` of `width` × `height` titled `title`.
fn frame(title: &str, width: f64, height: f64, body: Markup) -> Markup {
    html! {
        svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox=(format!("0 0 {} {}", px(width), px(height)))
            width=(px(width)) height=(px(height)) {
            title { (title) }
            (body)
        }
    }
}

/// Horizontal bars from 0 to 100 %, one per category, the target as a dashed line; `axis`
/// writes a tick's percentage and `target` is (value, legend).
pub fn bars(
    title: &str,
    points: &[Point],
    target: Option<(f64, String)>,
    axis: &dyn Fn(f64) -> String,
) -> Markup {
    let (left, plot, row, top) = (200.0, 380.0, 30.0, 10.0);
    let height = top + row * points.len() as f64 + 56.0;
    let bottom = top + row * points.len() as f64;
    let x = |v: f64| left + v.clamp(0.0, 1.0) * plot;
    let body = html! {
        @for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
            line x1=(px(x(tick))) x2=(px(x(tick))) y1=(px(top)) y2=(px(bottom)) stroke=(GRID) {}
            text x=(px(x(tick))) y=(px(bottom + 16.0)) text-anchor="middle" fill=(MUTED) font-size="11" { (axis(tick)) }
        }
        @for (i, p) in points.iter().enumerate() {
            @let y = top + row * i as f64;
            text x=(px(left - 8.0)) y=(px(y + 19.0)) text-anchor="end" font-size="12" { (shorten(&p.label, 26)) }
            @if let Some(v) = p.value {
                rect x=(px(left)) y=(px(y + 6.0)) width=(px(x(v) - left)) height="18" fill=(BLUE) {}
                text x=(px(x(v) + 4.0)) y=(px(y + 19.0)) font-size="12" font-weight="bold" { (p.shown) }
            } @else {
                text x=(px(left + 4.0)) y=(px(y + 19.0)) font-size="12" fill=(MUTED) { "–" }
            }
        }
        line x1=(px(left)) x2=(px(left)) y1=(px(top)) y2=(px(bottom)) stroke=(MUTED) {}
        @if let Some((t, legend)) = &target {
            line x1=(px(x(*t))) x2=(px(x(*t))) y1=(px(top)) y2=(px(bottom)) stroke=(TARGET)
                stroke-width="2" stroke-dasharray="6 4" {}
            line x1=(px(left)) x2=(px(left + 24.0)) y1=(px(bottom + 38.0)) y2=(px(bottom + 38.0))
                stroke=(TARGET) stroke-width="2" stroke-dasharray="6 4" {}
            text x=(px(left + 30.0)) y=(px(bottom + 42.0)) font-size="12" { (legend) }
        }
    };
    frame(title, left + plot + 70.0, height, body)
}

/// A text cut to `max` characters with an ellipsis (a long directorate name on an axis).
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}

/// A round upper bound for an axis of fractions: 5 %, 10 %, 20 %… above `max`.
fn axis_top(max: f64) -> f64 {
    // Each a multiple of 4 tenths of a percent, so the quarter ticks read round (1 %, 2,5 %).
    [0.02, 0.04, 0.08, 0.1, 0.2, 0.4, 0.5, 1.0]
        .into_iter()
        .find(|top| max <= *top)
        .unwrap_or(max)
}

/// One series of a line chart: its name, its values per category (none: a gap) and whether
/// its line is dashed.
#[derive(Debug, Clone)]
pub struct Series {
    /// Its name, in the legend.
    pub name: String,
    /// One value per category.
    pub values: Vec<Option<f64>>,
    /// Dashed (the rolling 12 months) or solid.
    pub dashed: bool,
}

/// Lines over `months` (labels of the categories), the y axis from 0 to a round bound;
/// `axis` writes a tick's percentage. The last value of each series is written at its end.
pub fn lines(
    title: &str,
    months: &[String],
    series: &[Series],
    axis: &dyn Fn(f64) -> String,
) -> Markup {
    let (left, plot_w, top, plot_h) = (56.0, 560.0, 12.0, 200.0);
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().flatten())
        .fold(0.0_f64, |m, v| m.max(*v));
    let high = axis_top(max.max(0.01));
    let n = months.len().max(1);
    let step = plot_w / n as f64;
    let x = |i: usize| left + step * (i as f64 + 0.5);
    let y = |v: f64| top + plot_h - (v / high).clamp(0.0, 1.0) * plot_h;
    // At most 8 month labels: every k-th month, the last always (unless it would touch the one
    // before).
    let every = n.div_ceil(8);
    let colours = [BLUE, "#c55a11"];
    let body = html! {
        @for k in 0..=4 {
            @let v = high * f64::from(k) / 4.0;
            line x1=(px(left)) x2=(px(left + plot_w)) y1=(px(y(v))) y2=(px(y(v))) stroke=(GRID) {}
            text x=(px(left - 6.0)) y=(px(y(v) + 4.0)) text-anchor="end" fill=(MUTED) font-size="11" { (axis(v)) }
        }
        @for (i, m) in months.iter().enumerate() {
            @if i % every == 0 || (i + 1 == n && i % every >= every / 2) {
                text x=(px(x(i))) y=(px(top + plot_h + 16.0)) text-anchor="middle" fill=(MUTED) font-size="11" { (m) }
            }
        }
        @for (s, colour) in series.iter().zip(colours.iter().cycle()) {
            @for segment in segments(&s.values) {
                @let path = segment.iter().map(|(i, v)| format!("{},{}", px(x(*i)), px(y(*v)))).collect::<Vec<_>>().join(" ");
                @if s.dashed {
                    polyline points=(path) fill="none" stroke=(colour) stroke-width="2.5" stroke-dasharray="7 4" {}
                } @else {
                    polyline points=(path) fill="none" stroke=(colour) stroke-width="2.5" {}
                }
                @if segment.len() == 1 {
                    circle cx=(px(x(segment[0].0))) cy=(px(y(segment[0].1))) r="3" fill=(colour) {}
                }
            }
            @if let Some((i, v)) = s.values.iter().enumerate().rev().find_map(|(i, v)| v.map(|v| (i, v))) {
                circle cx=(px(x(i))) cy=(px(y(v))) r="3.5" fill=(colour) {}
            }
        }
        @for (k, (s, colour)) in series.iter().zip(colours.iter().cycle()).enumerate() {
            @let lx = left + 260.0 * k as f64;
            @let ly = top + plot_h + 40.0;
            @if s.dashed {
                line x1=(px(lx)) x2=(px(lx + 28.0)) y1=(px(ly)) y2=(px(ly)) stroke=(colour) stroke-width="2.5" stroke-dasharray="7 4" {}
            } @else {
                line x1=(px(lx)) x2=(px(lx + 28.0)) y1=(px(ly)) y2=(px(ly)) stroke=(colour) stroke-width="2.5" {}
            }
            text x=(px(lx + 34.0)) y=(px(ly + 4.0)) font-size="12" { (s.name) }
        }
    };
    frame(title, left + plot_w + 16.0, top + plot_h + 56.0, body)
}

/// The runs of consecutive values of a series (a gap ends a line).
fn segments(values: &[Option<f64>]) -> Vec<Vec<(usize, f64)>> {
    let mut out: Vec<Vec<(usize, f64)>> = Vec::new();
    let mut current = Vec::new();
    for (i, v) in values.iter().enumerate() {
        match v {
            Some(v) => current.push((i, *v)),
            None if !current.is_empty() => out.push(std::mem::take(&mut current)),
            None => {}
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Columns from 0 to 100 %, one per category, each with its value on top; `axis` writes a
/// tick's percentage.
pub fn columns(title: &str, points: &[Point], axis: &dyn Fn(f64) -> String) -> Markup {
    let (left, top, plot_h) = (56.0, 18.0, 180.0);
    let step = 64.0_f64.min(560.0 / points.len().max(1) as f64);
    let plot_w = step * points.len().max(1) as f64;
    let y = |v: f64| top + plot_h - v.clamp(0.0, 1.0) * plot_h;
    let body = html! {
        @for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
            line x1=(px(left)) x2=(px(left + plot_w)) y1=(px(y(tick))) y2=(px(y(tick))) stroke=(GRID) {}
            text x=(px(left - 6.0)) y=(px(y(tick) + 4.0)) text-anchor="end" fill=(MUTED) font-size="11" { (axis(tick)) }
        }
        @for (i, p) in points.iter().enumerate() {
            @let cx = left + step * (i as f64 + 0.5);
            @if let Some(v) = p.value {
                rect x=(px(cx - step * 0.3)) y=(px(y(v))) width=(px(step * 0.6)) height=(px(y(0.0) - y(v))) fill=(BLUE) {}
                text x=(px(cx)) y=(px(y(v) - 4.0)) text-anchor="middle" font-size="11" font-weight="bold" { (p.shown) }
            }
            text x=(px(cx)) y=(px(top + plot_h + 16.0)) text-anchor="middle" fill=(MUTED) font-size="11" { (shorten(&p.label, 10)) }
        }
    };
    frame(title, left + plot_w + 16.0, top + plot_h + 28.0, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gap_in_a_series_ends_its_line() {
        let runs = segments(&[Some(0.1), None, Some(0.2), Some(0.3), None]);
        assert_eq!(runs, vec![vec![(0, 0.1)], vec![(2, 0.2), (3, 0.3)]]);
    }

    #[test]
    fn pixels_are_tenths_without_negative_zero() {
        assert_eq!(px(12.345), "12.3");
        assert_eq!(px(4.0), "4");
        assert_eq!(px(-0.01), "0");
    }

    #[test]
    fn the_axis_ends_on_a_round_percentage_above_the_highest_value() {
        assert_eq!(axis_top(0.043), 0.08);
        assert_eq!(axis_top(0.039), 0.04);
        assert_eq!(axis_top(0.8), 1.0);
    }

    #[test]
    fn labels_and_titles_are_escaped_in_the_svg() {
        let svg = bars(
            "<script>",
            &[Point {
                label: "R&D <x>".into(),
                value: Some(0.5),
                shown: "50 %".into(),
            }],
            None,
            &|v| format!("{v}"),
        )
        .into_string();
        assert!(svg.contains("<title>&lt;script&gt;</title>"), "{svg}");
        assert!(svg.contains("R&amp;D &lt;x&gt;"), "{svg}");
        assert!(!svg.contains("<script>"));
    }
}
