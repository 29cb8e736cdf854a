//! Every cell format of the workbook, in one place, so that sheets look alike.

use crate::kpi::registry::Unit;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder};

/// Colours of the house style (Belgian federal blue, RAG fills readable in print).
pub const BLUE: u32 = 0x1F3864;
const LIGHT: u32 = 0xF2F2F2;
const GREEN_FILL: u32 = 0xC6EFCE;
const GREEN_TEXT: u32 = 0x006100;
const AMBER_FILL: u32 = 0xFFEB9C;
const AMBER_TEXT: u32 = 0x9C5700;
const RED_FILL: u32 = 0xFFC7CE;
const RED_TEXT: u32 = 0x9C0006;
const GREY_FILL: u32 = 0xE7E6E6;
const GREY_TEXT: u32 = 0x595959;

/// The formats used by every sheet.
pub struct Styles {
    /// Sheet title.
    pub title: Format,
    /// Subtitle line.
    pub subtitle: Format,
    /// Section heading above a table.
    pub section: Format,
    /// Explanatory note.
    pub note: Format,
    /// Plain text (wrapped where long).
    pub text: Format,
    /// Dates, Belgian day-first.
    pub date: Format,
    /// Whole numbers.
    pub integer: Format,
    /// Decimal numbers.
    pub number: Format,
    /// Rates.
    pub percent: Format,
    /// Rate differences in percentage points.
    pub points: Format,
    /// A signed difference of rates (`+0.40%`).
    pub signed_percent: Format,
    /// A decimal with one place (days).
    pub one_decimal: Format,
    /// A decimal with two places (per head, euro).
    pub two_decimals: Format,
    /// Header cells of every table (explicit, so viewers that ignore table styles show it too).
    pub header: Format,
    /// Header of a column of numbers: right-aligned, above its numbers.
    pub header_right: Format,
    /// Long text that wraps within its column.
    pub wrap: Format,
    /// Signed change of a count (`+4`).
    pub delta: Format,
    /// Tile label.
    pub tile_label: Format,
    /// The link under a tile to the sheet that details it.
    pub tile_link: Format,
    /// A tile's note too long for one line: wrapped text under the tile.
    pub tile_note: Format,
    /// Text aligned right (a basis such as `7 / 16` beside a number).
    pub text_right: Format,
    /// A hyperlink in a table.
    pub link: Format,
    /// Tile big number (percent).
    pub tile_percent: Format,
    /// Tile big number (count).
    pub tile_count: Format,
}

impl Styles {
    /// Builds the house formats.
    pub fn new() -> Self {
        Styles {
            title: Format::new()
                .set_bold()
                .set_font_size(18)
                .set_font_color(Color::RGB(BLUE)),
            subtitle: Format::new()
                .set_font_size(10)
                .set_font_color(Color::RGB(GREY_TEXT)),
            section: Format::new()
                .set_bold()
                .set_font_size(12)
                .set_font_color(Color::RGB(BLUE)),
            note: Format::new()
                .set_italic()
                .set_font_size(9)
                .set_font_color(Color::RGB(GREY_TEXT)),
            // A small indent keeps text off a right-aligned number in the column before it.
            text: Format::new().set_align(FormatAlign::Top).set_indent(1),
            text_right: Format::new()
                .set_align(FormatAlign::Top)
                .set_align(FormatAlign::Right),
            date: Format::new()
                .set_num_format("dd/mm/yyyy")
                .set_align(FormatAlign::Top),
            integer: Format::new()
                .set_num_format("#,##0")
                .set_align(FormatAlign::Top),
            number: Format::new()
                .set_num_format("General")
                .set_align(FormatAlign::Top),
            percent: Format::new()
                .set_num_format("0.0%")
                .set_align(FormatAlign::Top),
            signed_percent: Format::new()
                .set_num_format("+0.00%;-0.00%;0.00%")
                .set_align(FormatAlign::Top),
            one_decimal: Format::new()
                .set_num_format("#,##0.0")
                .set_align(FormatAlign::Top),
            two_decimals: Format::new()
                .set_num_format("#,##0.00")
                .set_align(FormatAlign::Top),
            points: Format::new()
                .set_num_format("+0.0\" pt\";-0.0\" pt\";0.0\" pt\"")
                .set_align(FormatAlign::Top),
            header: Format::new()
                .set_bold()
                .set_font_color(Color::White)
                .set_background_color(Color::RGB(BLUE))
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter)
                .set_indent(1),
            header_right: Format::new()
                .set_bold()
                .set_font_color(Color::White)
                .set_background_color(Color::RGB(BLUE))
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter)
                .set_align(FormatAlign::Right),
            wrap: Format::new()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_indent(1),
            delta: Format::new()
                .set_num_format("+#,##0;-#,##0;0")
                .set_align(FormatAlign::Top),
            tile_label: Format::new()
                .set_font_size(9)
                .set_font_color(Color::White)
                .set_background_color(Color::RGB(BLUE))
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap(),
            tile_link: Format::new()
                .set_italic()
                .set_font_size(9)
                .set_font_color(Color::RGB(0x0563C1))
                .set_underline(rust_xlsxwriter::FormatUnderline::Single)
                .set_align(FormatAlign::Center),
            tile_note: Format::new()
                .set_italic()
                .set_font_size(9)
                .set_font_color(Color::RGB(GREY_TEXT))
                .set_align(FormatAlign::Center)
                .set_text_wrap(),
            link: Format::new()
                .set_font_color(Color::RGB(0x0563C1))
                .set_underline(rust_xlsxwriter::FormatUnderline::Single),
            tile_percent: Format::new()
                .set_bold()
                .set_font_size(22)
                .set_num_format("0.0%")
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_border(FormatBorder::Thin)
                .set_border_color(Color::RGB(BLUE)),
            tile_count: Format::new()
                .set_bold()
                .set_font_size(22)
                .set_num_format("#,##0")
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_border(FormatBorder::Thin)
                .set_border_color(Color::RGB(BLUE)),
        }
    }

    /// The format of a KPI value of this unit.
    pub fn unit(&self, unit: Unit) -> &Format {
        match unit {
            Unit::Rate | Unit::Ratio => &self.percent,
            Unit::Count => &self.integer,
            Unit::Days => &self.one_decimal,
            Unit::FractionPoints => &self.signed_percent,
            Unit::PerHead | Unit::Money => &self.two_decimals,
        }
    }

    /// Fill and font for a RAG colour or severity (`green`, `amber`, `red`, `grey`,
    /// `error`, `warning`, `info`); plain text otherwise.
    pub fn status(&self, status: &str) -> Format {
        let (fill, text) = match status {
            "green" => (GREEN_FILL, GREEN_TEXT),
            "amber" | "warning" => (AMBER_FILL, AMBER_TEXT),
            "red" | "error" => (RED_FILL, RED_TEXT),
            "grey" | "info" => (GREY_FILL, GREY_TEXT),
            _ => return self.text.clone(),
        };
        Format::new()
            .set_background_color(Color::RGB(fill))
            .set_font_color(Color::RGB(text))
            .set_bold()
            .set_align(FormatAlign::Top)
            .set_indent(1)
    }

    /// A tile's value format tinted by RAG colour.
    pub fn tile(&self, percent: bool, status: &str) -> Format {
        let base = if percent {
            self.tile_percent.clone()
        } else {
            self.tile_count.clone()
        };
        match status {
            "green" => base
                .set_background_color(Color::RGB(GREEN_FILL))
                .set_font_color(Color::RGB(GREEN_TEXT)),
            "amber" => base
                .set_background_color(Color::RGB(AMBER_FILL))
                .set_font_color(Color::RGB(AMBER_TEXT)),
            "red" => base
                .set_background_color(Color::RGB(RED_FILL))
                .set_font_color(Color::RGB(RED_TEXT)),
            "grey" => base
                .set_background_color(Color::RGB(GREY_FILL))
                .set_font_color(Color::RGB(GREY_TEXT)),
            _ => base
                .set_background_color(Color::RGB(LIGHT))
                .set_font_color(Color::RGB(BLUE)),
        }
    }
}

impl Default for Styles {
    fn default() -> Self {
        Self::new()
    }
}
