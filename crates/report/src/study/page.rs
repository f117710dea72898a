//! The study report's page: sections of paragraphs, tables with grouped
//! headings, figures of one or more panels, notes and warnings placed next
//! to the result they concern.
//!
//! The output is HTML5 that is also well-formed XML (void elements closed,
//! every attribute quoted, all text escaped), so that tests and other tools
//! can read it back with an XML parser. It is self-contained: inline CSS
//! and SVG, no script, and a Content-Security-Policy that forbids every
//! request, so a browser that opened it would log any attempt as an error.

use std::fmt::Write as _;

use crate::svg::{escape, Svg};

use super::cells::Cell;

/// A table row.
#[derive(Debug, Clone, Default)]
pub(crate) struct Row {
    /// The row heading (first column).
    pub label: String,
    /// Indentation of the label (0, 1).
    pub indent: u8,
    /// A variable's heading row (bold label).
    pub head: bool,
    /// The other cells.
    pub cells: Vec<Cell>,
}

impl Row {
    pub fn new(label: impl Into<String>, cells: Vec<Cell>) -> Self {
        Row {
            label: label.into(),
            cells,
            ..Row::default()
        }
    }

    pub fn indent(mut self) -> Self {
        self.indent = 1;
        self
    }

    pub fn head(mut self) -> Self {
        self.head = true;
        self
    }
}

/// A numbered table.
#[derive(Debug, Clone, Default)]
pub(crate) struct HTable {
    /// Stable name (`data-table`, anchor `tab-NAME`).
    pub name: String,
    /// Caption after "Table n.".
    pub caption: String,
    /// Heading rows; the first cell of the first row heads the label
    /// column and spans every heading row.
    pub head: Vec<Vec<Cell>>,
    /// Body rows.
    pub rows: Vec<Row>,
    /// Notes under the table.
    pub notes: Vec<String>,
}

/// A numbered figure of one or more panels.
#[derive(Debug, Clone)]
pub(crate) struct Fig {
    /// Stable name (`data-figure`, anchor `fig-NAME`).
    pub name: String,
    /// Caption after "Figure n.".
    pub caption: String,
    /// The panels: file name stem and drawing.
    pub panels: Vec<(String, Svg)>,
}

/// A piece of a section.
#[derive(Debug, Clone)]
pub(crate) enum Item {
    Para(String),
    Sub(String),
    Table(HTable),
    Figure(Fig),
    /// Warnings about the item just above.
    Warnings(Vec<String>),
    /// Notes (why something is missing).
    Notes(Vec<String>),
    /// Monospaced text in a collapsed box.
    Details(String, String),
    /// HTML written by this module's callers from escaped parts.
    Raw(String),
}

/// A titled section.
#[derive(Debug, Clone)]
pub(crate) struct PSection {
    pub id: String,
    pub title: String,
    pub items: Vec<Item>,
}

impl PSection {
    pub fn new(id: &str, title: &str) -> Self {
        PSection {
            id: id.to_string(),
            title: title.to_string(),
            items: Vec::new(),
        }
    }

    pub fn para(&mut self, s: impl Into<String>) {
        self.items.push(Item::Para(s.into()));
    }

    pub fn sub(&mut self, s: impl Into<String>) {
        self.items.push(Item::Sub(s.into()));
    }

    pub fn table(&mut self, t: HTable) {
        self.items.push(Item::Table(t));
    }

    pub fn figure(&mut self, f: Fig) {
        self.items.push(Item::Figure(f));
    }

    pub fn warnings(&mut self, w: Vec<String>) {
        if !w.is_empty() {
            self.items.push(Item::Warnings(w));
        }
    }

    pub fn notes(&mut self, n: Vec<String>) {
        if !n.is_empty() {
            self.items.push(Item::Notes(n));
        }
    }
}

/// The page.
#[derive(Debug, Clone, Default)]
pub(crate) struct Page {
    pub title: String,
    pub subtitle: Vec<String>,
    pub sections: Vec<PSection>,
}

const CSS: &str = "\
:root{color-scheme:light}
body{font-family:Helvetica,Arial,sans-serif;font-size:16px;line-height:1.45;color:#111;background:#fff;margin:0}
main{max-width:60rem;margin:0 auto;padding:1.5rem 1rem 3rem}
h1{font-size:1.6rem;margin:0 0 .3rem}
h2{font-size:1.3rem;margin:2.4rem 0 .6rem;border-bottom:1px solid #bbb;padding-bottom:.2rem}
h3{font-size:1.08rem;margin:1.6rem 0 .4rem}
.subtitle{color:#444;margin:0 0 .2rem}
nav{margin:1rem 0;font-size:.95rem}
nav ol{margin:.3rem 0 0;padding-left:1.4rem;columns:2}
a{color:#0072B2}
nav a{text-decoration:none}
figure{margin:1.2rem 0}
.panels{display:flex;flex-wrap:wrap;gap:.8rem;align-items:flex-start}
.panels svg{max-width:100%;height:auto;display:block}
.panels.two svg{max-width:calc(50% - .4rem)}
figcaption,caption{font-size:.92rem;text-align:left;color:#222}
.tablewrap{overflow-x:auto}
table{border-collapse:collapse;margin:1.2rem 0 .4rem;font-size:.9rem;font-variant-numeric:tabular-nums}
caption{caption-side:top;padding-bottom:.4rem}
thead th{border-bottom:1px solid #000;font-weight:bold;vertical-align:bottom;white-space:pre-line;text-align:center}
.l{text-align:left}
thead tr:first-child th{border-top:2px solid #000}
thead th.grp{border-bottom:1px solid #777;text-align:center}
tbody tr:last-child th,tbody tr:last-child td{border-bottom:2px solid #000}
th,td{padding:.22rem .6rem;vertical-align:top}
tbody th{text-align:left;font-weight:normal}
tbody th.head{font-weight:bold}
tbody th.ind{padding-left:1.6rem}
td{text-align:right;white-space:nowrap}
td.txt{text-align:left;white-space:normal;color:#333}
td.warn{color:#B34700;font-weight:bold}
.notes{font-size:.85rem;color:#333;margin:.2rem 0 1.2rem}
.warnings{border-left:4px solid #D55E00;background:#FFF4EC;padding:.5rem 1rem;margin:.6rem 0 1.2rem;font-size:.92rem}
.warnings ul,.notesbox ul{margin:.2rem 0;padding-left:1.2rem}
.notesbox{border-left:4px solid #999;background:#F6F6F6;padding:.5rem 1rem;margin:.6rem 0 1.2rem;font-size:.9rem}
details{margin:.8rem 0}
pre{background:#F5F5F5;padding:.6rem;overflow-x:auto;font-size:.8rem;white-space:pre-wrap}
.status{display:inline-block;padding:0 .4rem;border-radius:.2rem;font-size:.8rem;font-weight:bold}
.status.yes{background:#D9F0E3;color:#00603A}.status.partly{background:#FFF0C2;color:#7A5600}.status.no{background:#FBE0D6;color:#8A2A00}.status.author{background:#E6E6E6;color:#333}
.prov td{font-family:Menlo,Consolas,monospace;font-size:.8rem;word-break:break-all;white-space:normal;text-align:left}
.summary{font-size:1.02rem}
@media print{main{max-width:none}h2{break-after:avoid}figure,table{break-inside:avoid}nav{display:none}}
";

fn cell_html(out: &mut String, tag: &str, c: &Cell, extra_class: &str) {
    let mut class = String::new();
    for k in [c.class, extra_class] {
        if !k.is_empty() {
            if !class.is_empty() {
                class.push(' ');
            }
            class.push_str(k);
        }
    }
    let _ = write!(out, "<{tag}");
    if !class.is_empty() {
        let _ = write!(out, " class=\"{class}\"");
    }
    if c.colspan > 1 {
        let _ = write!(out, " colspan=\"{}\"", c.colspan);
    }
    if c.rowspan > 1 {
        let _ = write!(out, " rowspan=\"{}\"", c.rowspan);
    }
    let src = |out: &mut String, f: super::cells::Fmt| {
        let _ = write!(
            out,
            " data-src=\"{}\" data-fmt=\"{}\"",
            escape(&c.src.join(" ")),
            f.name()
        );
    };
    match c.fmt {
        Some(f) if c.prefix.is_empty() => {
            src(out, f);
            let _ = write!(out, ">{}</{tag}>", escape(&c.text));
        }
        Some(f) => {
            let _ = write!(out, ">{}<span", escape(&c.prefix));
            src(out, f);
            let _ = write!(out, ">{}</span></{tag}>", escape(&c.text));
        }
        None => {
            let _ = write!(out, ">{}</{tag}>", escape(&c.text));
        }
    }
}

fn table_html(out: &mut String, t: &HTable, n: usize) {
    let _ = writeln!(
        out,
        "<div class=\"tablewrap\"><table id=\"tab-{}\" data-table=\"{}\">",
        escape(&t.name),
        escape(&t.name)
    );
    let _ = writeln!(
        out,
        "<caption><b>Table {n}.</b> {}</caption>",
        escape(&t.caption)
    );
    out.push_str("<thead>\n");
    let depth = t.head.len();
    for (i, hr) in t.head.iter().enumerate() {
        out.push_str("<tr>");
        for (j, c) in hr.iter().enumerate() {
            if i == 0 && j == 0 {
                let mut first = c.clone();
                if depth > 1 {
                    first.rowspan = depth as u32;
                }
                cell_html(out, "th", &first, "l");
                continue;
            }
            let grp = if i + 1 < depth && c.colspan > 1 {
                "grp"
            } else {
                ""
            };
            cell_html(out, "th", c, grp);
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</thead>\n<tbody>\n");
    for r in &t.rows {
        let class = match (r.head, r.indent) {
            (true, _) => " class=\"head\"",
            (false, 0) => "",
            _ => " class=\"ind\"",
        };
        let _ = write!(
            out,
            "<tr><th scope=\"row\"{class}>{}</th>",
            escape(&r.label)
        );
        for c in &r.cells {
            cell_html(out, "td", c, "");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table></div>\n");
    if !t.notes.is_empty() {
        out.push_str("<p class=\"notes\">");
        for (k, note) in t.notes.iter().enumerate() {
            if k > 0 {
                out.push_str("<br/>");
            }
            out.push_str(&escape(note));
        }
        out.push_str("</p>\n");
    }
}

fn list_box(out: &mut String, class: &str, title: &str, items: &[String]) {
    let _ = writeln!(
        out,
        "<div class=\"{class}\" role=\"note\"><b>{}</b>\n<ul>",
        escape(title)
    );
    for w in items {
        let _ = writeln!(out, "<li>{}</li>", escape(w));
    }
    out.push_str("</ul></div>\n");
}

/// Counts of what the page holds.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Counts {
    pub figures: usize,
    pub panels: usize,
    pub tables: usize,
    pub warnings: usize,
}

impl Page {
    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for s in &self.sections {
            for it in &s.items {
                match it {
                    Item::Figure(f) => {
                        c.figures += 1;
                        c.panels += f.panels.len();
                    }
                    Item::Table(_) => c.tables += 1,
                    Item::Warnings(w) => c.warnings += w.len(),
                    _ => {}
                }
            }
        }
        c
    }

    /// The page as HTML.
    pub fn render(&self) -> String {
        let counts = self.counts();
        let mut out = String::with_capacity(1 << 20);
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\"/>\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n\
             <meta name=\"generator\" content=\"oncomark-report {}\"/>\n\
             <meta name=\"oncomark-figures\" content=\"{}\"/>\n\
             <meta name=\"oncomark-svg-panels\" content=\"{}\"/>\n\
             <title>{}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n\
             <main data-figures=\"{}\" data-svg-panels=\"{}\" data-tables=\"{}\" data-warnings=\"{}\">\n",
            env!("CARGO_PKG_VERSION"),
            counts.figures,
            counts.panels,
            escape(&self.title),
            counts.figures,
            counts.panels,
            counts.tables,
            counts.warnings,
        );
        let _ = writeln!(out, "<h1>{}</h1>", escape(&self.title));
        for s in &self.subtitle {
            let _ = writeln!(out, "<p class=\"subtitle\">{}</p>", escape(s));
        }
        out.push_str("<nav><b>Contents</b>\n<ol>\n");
        for s in &self.sections {
            let _ = writeln!(
                out,
                "<li><a href=\"#{}\">{}</a></li>",
                escape(&s.id),
                escape(&s.title)
            );
        }
        out.push_str("</ol></nav>\n");
        let (mut n_fig, mut n_tab) = (0, 0);
        for s in &self.sections {
            let _ = writeln!(out, "<section id=\"{}\">", escape(&s.id));
            let _ = writeln!(out, "<h2>{}</h2>", escape(&s.title));
            for it in &s.items {
                match it {
                    Item::Para(p) => {
                        let _ = writeln!(out, "<p>{}</p>", escape(p));
                    }
                    Item::Sub(p) => {
                        let _ = writeln!(out, "<h3>{}</h3>", escape(p));
                    }
                    Item::Raw(h) => out.push_str(h),
                    Item::Warnings(w) => list_box(&mut out, "warnings", "Warnings", w),
                    Item::Notes(w) => list_box(&mut out, "notesbox", "Notes", w),
                    Item::Details(summary, text) => {
                        let _ = writeln!(
                            out,
                            "<details><summary>{}</summary><pre>{}</pre></details>",
                            escape(summary),
                            escape(text)
                        );
                    }
                    Item::Table(t) => {
                        n_tab += 1;
                        table_html(&mut out, t, n_tab);
                    }
                    Item::Figure(f) => {
                        n_fig += 1;
                        let two = if f.panels.len() == 2 { " two" } else { "" };
                        let _ = writeln!(
                            out,
                            "<figure id=\"fig-{}\" data-figure=\"{}\" data-panels=\"{}\">\n<div class=\"panels{two}\">",
                            escape(&f.name),
                            escape(&f.name),
                            f.panels.len()
                        );
                        for (_, svg) in &f.panels {
                            out.push_str(svg.as_str());
                        }
                        let _ = writeln!(
                            out,
                            "</div>\n<figcaption><b>Figure {n_fig}.</b> {}</figcaption>\n</figure>",
                            escape(&f.caption)
                        );
                    }
                }
            }
            out.push_str("</section>\n");
        }
        out.push_str("</main>\n</body>\n</html>\n");
        out
    }
}
