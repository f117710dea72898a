//! One self-contained HTML page: inline CSS and SVG, no script, no font,
//! image or style sheet fetched from anywhere, so the file can be mailed,
//! archived or opened offline and shows the same thing everywhere.
//!
//! The page is built from plain data: sections holding paragraphs, tables
//! (header + rows of text), figures (an [`Svg`] from this crate with a
//! caption) and warnings; a provenance block (input files, hashes,
//! versions) closes it. All text is escaped; figures and tables are
//! numbered in order of appearance.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::error::ReportError;
use crate::svg::{escape, Svg};

/// Alignment of a table column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    /// Left (text).
    #[default]
    Left,
    /// Right (numbers).
    Right,
    /// Centre.
    Center,
}

impl Align {
    fn class(self) -> &'static str {
        match self {
            Align::Left => "l",
            Align::Right => "r",
            Align::Center => "c",
        }
    }
}

/// A table of text cells.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// Caption, after "Table n." (may be empty).
    pub caption: String,
    /// Column headings.
    pub header: Vec<String>,
    /// Rows, each with one cell per heading.
    pub rows: Vec<Vec<String>>,
    /// Column alignment (default: first column left, others right).
    pub align: Vec<Align>,
    /// Notes printed under the table.
    pub footnotes: Vec<String>,
}

impl Table {
    /// A table with a caption, headings and rows (first column left, the
    /// others right-aligned).
    pub fn new(caption: &str, header: &[&str], rows: Vec<Vec<String>>) -> Self {
        Self {
            caption: caption.to_string(),
            header: header.iter().map(|s| s.to_string()).collect(),
            rows,
            align: Vec::new(),
            footnotes: Vec::new(),
        }
    }

    fn check(&self) -> Result<(), ReportError> {
        let k = self.header.len();
        for r in &self.rows {
            if r.len() != k {
                return Err(ReportError::LengthMismatch {
                    what: "table row",
                    got: r.len(),
                    expected: k,
                    hint: "one cell per column heading",
                });
            }
        }
        if !self.align.is_empty() && self.align.len() != k {
            return Err(ReportError::LengthMismatch {
                what: "table align",
                got: self.align.len(),
                expected: k,
                hint: "one alignment per column, or none",
            });
        }
        Ok(())
    }

    fn align_of(&self, j: usize) -> Align {
        match self.align.get(j) {
            Some(a) => *a,
            None if j == 0 => Align::Left,
            None => Align::Right,
        }
    }
}

/// A figure with its caption.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The drawing.
    pub svg: Svg,
    /// Caption, after "Figure n.".
    pub caption: String,
}

/// A piece of a section.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Block {
    /// A paragraph of text.
    Paragraph(String),
    /// A numbered table.
    Table(Table),
    /// A numbered figure.
    Figure(Figure),
    /// A box of warnings.
    Warnings(Vec<String>),
    /// Monospaced text kept as written (e.g. a model formula).
    Preformatted(String),
}

/// A titled section of the page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Section {
    /// Heading.
    pub title: String,
    /// Contents in order.
    pub blocks: Vec<Block>,
}

impl Section {
    /// An empty section.
    pub fn new(title: &str) -> Self {
        Self {
            title: title.to_string(),
            blocks: Vec::new(),
        }
    }

    /// Adds a paragraph.
    pub fn paragraph(mut self, text: &str) -> Self {
        self.blocks.push(Block::Paragraph(text.to_string()));
        self
    }

    /// Adds a table.
    pub fn table(mut self, table: Table) -> Self {
        self.blocks.push(Block::Table(table));
        self
    }

    /// Adds a figure.
    pub fn figure(mut self, svg: Svg, caption: &str) -> Self {
        self.blocks.push(Block::Figure(Figure {
            svg,
            caption: caption.to_string(),
        }));
        self
    }

    /// Adds a warnings box (nothing when `warnings` is empty).
    pub fn warnings(mut self, warnings: Vec<String>) -> Self {
        if !warnings.is_empty() {
            self.blocks.push(Block::Warnings(warnings));
        }
        self
    }
}

/// The whole page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HtmlReport {
    /// Page title and main heading.
    pub title: String,
    /// Line under the title (e.g. the study and the date of the run).
    pub subtitle: Option<String>,
    /// Warnings shown at the top, before any result.
    pub warnings: Vec<String>,
    /// Sections in order.
    pub sections: Vec<Section>,
    /// Provenance: (key, value) pairs such as input file and SHA-256,
    /// rows read and dropped, program version.
    pub provenance: Vec<(String, String)>,
}

const CSS: &str = "\
:root{color-scheme:light}
body{font-family:Helvetica,Arial,sans-serif;font-size:16px;line-height:1.45;color:#111;background:#fff;margin:0}
main{max-width:52rem;margin:0 auto;padding:1.5rem 1rem 3rem}
h1{font-size:1.6rem;margin:0 0 .2rem}
h2{font-size:1.25rem;margin:2.2rem 0 .6rem;border-bottom:1px solid #ccc;padding-bottom:.2rem}
.subtitle{color:#555;margin:0 0 1rem}
nav ol{margin:.3rem 0 0;padding-left:1.4rem}
nav a{color:#0072B2;text-decoration:none}
figure{margin:1.2rem 0}
figure svg{max-width:100%;height:auto;display:block}
figcaption,caption{font-size:.92rem;text-align:left;color:#222}
figcaption b,caption b{color:#000}
table{border-collapse:collapse;margin:1.2rem 0;font-size:.92rem;font-variant-numeric:tabular-nums}
caption{caption-side:top;padding-bottom:.4rem}
thead th{border-top:2px solid #000;border-bottom:1px solid #000;font-weight:bold}
tbody tr:last-child td{border-bottom:2px solid #000}
th,td{padding:.25rem .7rem;vertical-align:top}
.l{text-align:left}.r{text-align:right}.c{text-align:center}
.notes{font-size:.85rem;color:#333;margin:-.8rem 0 1.2rem}
.warnings{border-left:4px solid #D55E00;background:#FFF4EC;padding:.6rem 1rem;margin:1rem 0}
.warnings ul{margin:.2rem 0;padding-left:1.2rem}
pre{background:#F5F5F5;padding:.6rem;overflow-x:auto;font-size:.85rem}
.provenance{font-size:.85rem;color:#333}
.provenance th{text-align:left;font-weight:normal;color:#555;padding-right:1rem}
.provenance td{font-family:Menlo,Consolas,monospace;word-break:break-all}
@media print{main{max-width:none}h2{break-after:avoid}figure,table{break-inside:avoid}nav{display:none}}
";

fn slug(i: usize, title: &str) -> String {
    let mut s = format!("s{}", i + 1);
    let mut dash = true;
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            if dash {
                s.push('-');
            }
            s.push(c);
            dash = false;
        } else {
            dash = true;
        }
    }
    s
}

fn warnings_box(out: &mut String, title: &str, items: &[String]) {
    let _ = writeln!(
        out,
        "<div class=\"warnings\" role=\"note\"><b>{}</b>\n<ul>",
        escape(title)
    );
    for w in items {
        let _ = writeln!(out, "<li>{}</li>", escape(w));
    }
    out.push_str("</ul></div>\n");
}

impl HtmlReport {
    /// A page with a title and nothing else yet.
    pub fn new(title: &str) -> Self {
        Self {
            title: title.to_string(),
            ..Self::default()
        }
    }

    /// The page as one HTML5 document.
    ///
    /// # Errors
    ///
    /// [`ReportError::LengthMismatch`] for a table row or alignment list
    /// that does not have one entry per column heading.
    ///
    /// # Example
    ///
    /// ```
    /// use oncomark_report::html::{HtmlReport, Section, Table};
    /// let mut page = HtmlReport::new("GBSG2 <demo>");
    /// page.sections.push(
    ///     Section::new("Patients").table(Table::new("Characteristics", &["", "n"], vec![vec!["All".into(), "686".into()]])),
    /// );
    /// let html = page.render()?;
    /// assert!(html.contains("<title>GBSG2 &lt;demo&gt;</title>"));
    /// assert!(html.contains("<b>Table 1.</b> Characteristics"));
    /// # Ok::<(), oncomark_report::ReportError>(())
    /// ```
    pub fn render(&self) -> Result<String, ReportError> {
        for s in &self.sections {
            for b in &s.blocks {
                if let Block::Table(t) = b {
                    t.check()?;
                }
            }
        }
        let mut out = String::new();
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n<main>\n",
            escape(&self.title)
        );
        let _ = writeln!(out, "<h1>{}</h1>", escape(&self.title));
        if let Some(s) = &self.subtitle {
            let _ = writeln!(out, "<p class=\"subtitle\">{}</p>", escape(s));
        }
        if !self.warnings.is_empty() {
            warnings_box(&mut out, "Warnings", &self.warnings);
        }
        if self.sections.len() > 1 {
            out.push_str("<nav><b>Contents</b>\n<ol>\n");
            for (i, s) in self.sections.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "<li><a href=\"#{}\">{}</a></li>",
                    slug(i, &s.title),
                    escape(&s.title)
                );
            }
            out.push_str("</ol></nav>\n");
        }
        let (mut n_fig, mut n_tab) = (0, 0);
        for (i, s) in self.sections.iter().enumerate() {
            let _ = writeln!(out, "<section id=\"{}\">", slug(i, &s.title));
            let _ = writeln!(out, "<h2>{}</h2>", escape(&s.title));
            for b in &s.blocks {
                match b {
                    Block::Paragraph(p) => {
                        let _ = writeln!(out, "<p>{}</p>", escape(p));
                    }
                    Block::Preformatted(p) => {
                        let _ = writeln!(out, "<pre>{}</pre>", escape(p));
                    }
                    Block::Warnings(w) => warnings_box(&mut out, "Warnings", w),
                    Block::Figure(fig) => {
                        n_fig += 1;
                        out.push_str("<figure>\n");
                        out.push_str(fig.svg.as_str());
                        let _ = writeln!(
                            out,
                            "<figcaption><b>Figure {n_fig}.</b> {}</figcaption>\n</figure>",
                            escape(&fig.caption)
                        );
                    }
                    Block::Table(t) => {
                        n_tab += 1;
                        out.push_str("<table>\n");
                        let _ = writeln!(
                            out,
                            "<caption><b>Table {n_tab}.</b> {}</caption>",
                            escape(&t.caption)
                        );
                        out.push_str("<thead><tr>");
                        for (j, h) in t.header.iter().enumerate() {
                            let _ = write!(
                                out,
                                "<th class=\"{}\">{}</th>",
                                t.align_of(j).class(),
                                escape(h)
                            );
                        }
                        out.push_str("</tr></thead>\n<tbody>\n");
                        for r in &t.rows {
                            out.push_str("<tr>");
                            for (j, cell) in r.iter().enumerate() {
                                let _ = write!(
                                    out,
                                    "<td class=\"{}\">{}</td>",
                                    t.align_of(j).class(),
                                    escape(cell)
                                );
                            }
                            out.push_str("</tr>\n");
                        }
                        out.push_str("</tbody>\n</table>\n");
                        if !t.footnotes.is_empty() {
                            out.push_str("<div class=\"notes\">");
                            for (k, note) in t.footnotes.iter().enumerate() {
                                if k > 0 {
                                    out.push_str("<br>");
                                }
                                out.push_str(&escape(note));
                            }
                            out.push_str("</div>\n");
                        }
                    }
                }
            }
            out.push_str("</section>\n");
        }
        if !self.provenance.is_empty() {
            out.push_str("<section class=\"provenance\" id=\"provenance\">\n<h2>Provenance</h2>\n<table>\n<tbody>\n");
            for (k, v) in &self.provenance {
                let _ = writeln!(out, "<tr><th>{}</th><td>{}</td></tr>", escape(k), escape(v));
            }
            out.push_str("</tbody>\n</table>\n</section>\n");
        }
        out.push_str("</main>\n</body>\n</html>\n");
        Ok(out)
    }
}
