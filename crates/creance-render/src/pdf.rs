//! Laid-out pages to PDF bytes: page contents, the two font subsets with their ToUnicode maps, and
//! any JPEG logo, compressed with [`crate::compress`].
//!
//! Deterministic: no creation date, no document id, objects numbered in the order they are written,
//! a subset's tag derived from the characters it holds. The same pages give the same bytes.

use std::collections::HashMap;

use crate::compress::zlib;
use crate::fonts::{Face, FaceUse};
use crate::units::{font_bbox, font_metric, glyph_width, page_rect, Canvas, Cu};
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo};
use pdf_writer::{Filter, Finish, Name, Pdf, Ref, Str};

/// One drawing operation, in top-down hundredths of a point (see [`crate::units`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    /// Text with its baseline at `(x, y)`; `grey` 0 is black, 100 white.
    Text {
        x: Cu,
        y: Cu,
        face: Face,
        size: Cu,
        grey: u8,
        text: String,
    },
    /// Text turned 45°, for the draft watermark.
    Diagonal {
        x: Cu,
        y: Cu,
        face: Face,
        size: Cu,
        grey: u8,
        text: String,
    },
    Line {
        x0: Cu,
        y0: Cu,
        x1: Cu,
        y1: Cu,
        width: Cu,
    },
    FillRect {
        x: Cu,
        y: Cu,
        w: Cu,
        h: Cu,
        grey: u8,
    },
    StrokeRect {
        x: Cu,
        y: Cu,
        w: Cu,
        h: Cu,
        width: Cu,
    },
    /// The document's image `image` in the box with top-left corner `(x, y)`.
    Image {
        image: usize,
        x: Cu,
        y: Cu,
        w: Cu,
        h: Cu,
    },
}

/// A JPEG image (a company logo), embedded as it is (`/DCTDecode`); [`Jpeg::from_bytes`] reads its
/// size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Jpeg {
    pub bytes: Vec<u8>,
    pub width_px: u32,
    pub height_px: u32,
    /// 1 (grey) or 3 (RGB) colour components.
    pub components: u8,
}

impl Jpeg {
    /// A JPEG with its size and colour components read from its frame header; `None` when `bytes`
    /// is not a JPEG of one (grey) or three (RGB) components.
    pub fn from_bytes(bytes: Vec<u8>) -> Option<Jpeg> {
        if bytes.get(0..2)? != [0xFF, 0xD8] {
            return None;
        }
        let be16 = |at: usize| Some(u16::from_be_bytes([*bytes.get(at)?, *bytes.get(at + 1)?]));
        let mut at = 2;
        loop {
            if *bytes.get(at)? != 0xFF {
                return None;
            }
            let marker = *bytes.get(at + 1)?;
            if marker == 0xFF {
                at += 1; // a fill byte
                continue;
            }
            // Start of frame: C0–CF except C4 (Huffman tables), C8 (reserved) and CC (arithmetic).
            if (0xC0..=0xCF).contains(&marker) && ![0xC4, 0xC8, 0xCC].contains(&marker) {
                let height = u32::from(be16(at + 5)?);
                let width = u32::from(be16(at + 7)?);
                let components = *bytes.get(at + 9)?;
                if width == 0 || height == 0 || !matches!(components, 1 | 3) {
                    return None;
                }
                return Some(Jpeg { bytes, width_px: width, height_px: height, components });
            }
            at += 2 + usize::from(be16(at + 2)?);
        }
    }
}

/// A page's operations, in drawing order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Page {
    pub ops: Vec<Op>,
}

/// A laid-out document: its pages (A4 portrait) and the images they refer to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Laid {
    pub pages: Vec<Page>,
    pub images: Vec<Jpeg>,
}

/// Why bytes could not be made (only a broken embedded font could cause it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenderError {
    /// The font subsetter refused the embedded font.
    FontSubset { font: &'static str, detail: String },
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RenderError::FontSubset { font, detail } => write!(f, "could not subset the font {font}: {detail}"),
        }
    }
}

impl std::error::Error for RenderError {}

const FONT_NAMES: [&[u8]; 2] = [b"F1", b"F2"];

struct Ids(i32);

impl Ids {
    fn next(&mut self) -> Ref {
        self.0 += 1;
        Ref::new(self.0)
    }
}

/// One PDF holding the pages of every document in `docs`, in order.
pub fn write(docs: &[Laid]) -> Result<Vec<u8>, RenderError> {
    let mut uses = [FaceUse::default(), FaceUse::default()];
    let mut images: Vec<&Jpeg> = Vec::new();
    let mut contents = Vec::new();
    for doc in docs {
        // A logo repeated by every letter of a print run is embedded once.
        let index: Vec<usize> = doc
            .images
            .iter()
            .map(|img| match images.iter().position(|known| *known == img) {
                Some(i) => i,
                None => {
                    images.push(img);
                    images.len() - 1
                }
            })
            .collect();
        for page in &doc.pages {
            contents.push(draw(page, &mut uses, &index));
        }
    }

    let mut pdf = Pdf::new();
    let mut ids = Ids(0);
    let catalog = ids.next();
    let tree = ids.next();
    let font_refs = [ids.next(), ids.next()];
    let image_refs: Vec<Ref> = images.iter().map(|_| ids.next()).collect();
    let page_refs: Vec<Ref> = contents.iter().map(|_| ids.next()).collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids(page_refs.iter().copied()).count(i32::try_from(page_refs.len()).unwrap_or(i32::MAX));
    for (content, &page_ref) in contents.iter().zip(&page_refs) {
        let content_ref = ids.next();
        let packed = zlib(content);
        pdf.stream(content_ref, &packed).filter(Filter::FlateDecode);
        let mut page = pdf.page(page_ref);
        page.media_box(page_rect(crate::units::A4_WIDTH, crate::units::A4_HEIGHT)).parent(tree).contents(content_ref);
        let mut resources = page.resources();
        let mut fonts = resources.fonts();
        for face in Face::ALL {
            if !uses[face.index()].is_empty() {
                fonts.pair(Name(FONT_NAMES[face.index()]), font_refs[face.index()]);
            }
        }
        fonts.finish();
        if !image_refs.is_empty() {
            let mut xobjects = resources.x_objects();
            for (i, r) in image_refs.iter().enumerate() {
                xobjects.pair(Name(format!("Im{i}").as_bytes()), *r);
            }
        }
    }
    for (img, &r) in images.iter().zip(&image_refs) {
        let mut x = pdf.image_xobject(r, &img.bytes);
        x.filter(Filter::DctDecode);
        x.width(i32::try_from(img.width_px).unwrap_or(1));
        x.height(i32::try_from(img.height_px).unwrap_or(1));
        x.color_space_name(Name(if img.components == 1 { b"DeviceGray" } else { b"DeviceRGB" }));
        x.bits_per_component(8);
    }
    for face in Face::ALL {
        let used = &uses[face.index()];
        if !used.is_empty() {
            embed_font(&mut pdf, &mut ids, font_refs[face.index()], face, used)?;
        }
    }
    Ok(pdf.finish())
}

fn draw(page: &Page, uses: &mut [FaceUse; 2], images: &[usize]) -> Vec<u8> {
    let mut canvas = Canvas::new(crate::units::A4_HEIGHT);
    for op in &page.ops {
        match op {
            Op::Text { x, y, face, size, grey, text } => {
                let encoded = uses[face.index()].encode(text);
                canvas.text(Name(FONT_NAMES[face.index()]), *size, *x, *y, *grey, &encoded);
            }
            Op::Diagonal { x, y, face, size, grey, text } => {
                let encoded = uses[face.index()].encode(text);
                canvas.text_diagonal(Name(FONT_NAMES[face.index()]), *size, *x, *y, *grey, &encoded);
            }
            Op::Line { x0, y0, x1, y1, width } => canvas.line(*x0, *y0, *x1, *y1, *width),
            Op::FillRect { x, y, w, h, grey } => canvas.fill_rect(*x, *y, *w, *h, *grey),
            Op::StrokeRect { x, y, w, h, width } => canvas.stroke_rect(*x, *y, *w, *h, *width),
            Op::Image { image, x, y, w, h } => {
                if let Some(i) = images.get(*image) {
                    canvas.image(Name(format!("Im{i}").as_bytes()), *x, *y, *w, *h);
                }
            }
        }
    }
    canvas.finish()
}

/// Six capital letters naming a subset (PDF 32000 §9.6.4), from the characters it holds.
fn subset_tag(chars: &[char]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &c in chars {
        h ^= u64::from(u32::from(c));
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    (0..6)
        .map(|i| {
            let letter = u8::try_from((h >> (i * 8)) % 26).unwrap_or(0);
            char::from(b'A' + letter)
        })
        .collect()
}

/// A face's subset for one set of characters, compressed: what `embed_font` writes, made once per
/// thread and character set.
struct Embedded {
    base: String,
    /// Thousandths of the em.
    widths: Vec<i32>,
    cmap: Vec<u8>,
    font: Vec<u8>,
    font_len: usize,
    map: Vec<u8>,
}

/// Subsets kept per thread; a run's letters mostly share one or two (see `fonts::COMMON`).
const EMBEDDED_CACHE_MAX: usize = 32;

/// A face's index and the characters of its subset, in CID order.
type EmbeddedKey = (usize, Vec<char>);

thread_local! {
    static EMBEDDED: std::cell::RefCell<HashMap<EmbeddedKey, std::rc::Rc<Embedded>>> =
        std::cell::RefCell::new(HashMap::new());
}

fn embedded(face: Face, used: &FaceUse) -> Result<std::rc::Rc<Embedded>, RenderError> {
    let key = (face.index(), used.chars().to_vec());
    if let Some(e) = EMBEDDED.with(|c| c.borrow().get(&key).cloned()) {
        return Ok(e);
    }
    let metrics = face.metrics();
    let mut remapper = subsetter::GlyphRemapper::new();
    // CID i + 1 draws the character chars[i]; CID 0 is .notdef (glyph 0, which the remapper keeps).
    let mut cid_to_gid = vec![0u8, 0];
    let mut widths = Vec::with_capacity(used.chars().len());
    for &c in used.chars() {
        let (gid, advance) = metrics.glyph(c);
        cid_to_gid.extend_from_slice(&remapper.remap(gid).to_be_bytes());
        widths.push(metrics.per_mille(advance));
    }
    let subset = subsetter::subset(face.data(), 0, &remapper)
        .map_err(|e| RenderError::FontSubset { font: face.postscript_name(), detail: format!("{e:?}") })?;
    let subset = crate::sfnt::without_table(&subset, b"name").unwrap_or(subset);
    let mut cmap = pdf_writer::types::UnicodeCmap::new(
        Name(b"Creance-UCS"),
        SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"UCS"), supplement: 0 },
    );
    for (i, &c) in used.chars().iter().enumerate() {
        cmap.pair(u16::try_from(i + 1).unwrap_or(0), c);
    }
    let e = std::rc::Rc::new(Embedded {
        base: format!("{}+{}", subset_tag(used.chars()), face.postscript_name()),
        widths,
        cmap: zlib(&cmap.finish()),
        font: zlib(&subset),
        font_len: subset.len(),
        map: zlib(&cid_to_gid),
    });
    EMBEDDED.with(|c| {
        let mut cache = c.borrow_mut();
        if cache.len() >= EMBEDDED_CACHE_MAX {
            cache.clear();
        }
        cache.insert(key, e.clone());
    });
    Ok(e)
}

fn embed_font(pdf: &mut Pdf, ids: &mut Ids, type0: Ref, face: Face, used: &FaceUse) -> Result<(), RenderError> {
    let metrics = face.metrics();
    let e = embedded(face, used)?;
    let base = &e.base;
    let (cid_ref, descriptor_ref, unicode_ref, file_ref, map_ref) =
        (ids.next(), ids.next(), ids.next(), ids.next(), ids.next());
    let system = SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 };
    pdf.type0_font(type0)
        .base_font(Name(base.as_bytes()))
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_ref)
        .to_unicode(unicode_ref);
    let mut cid = pdf.cid_font(cid_ref);
    cid.subtype(CidFontType::Type2)
        .base_font(Name(base.as_bytes()))
        .system_info(system)
        .font_descriptor(descriptor_ref)
        .cid_to_gid_map_stream(map_ref);
    cid.widths().consecutive(1, e.widths.iter().map(|w| glyph_width(*w)));
    cid.finish();
    let [x0, y0, x1, y1] = metrics.bbox;
    let flags =
        if face == Face::Bold { FontFlags::NON_SYMBOLIC | FontFlags::FORCE_BOLD } else { FontFlags::NON_SYMBOLIC };
    pdf.font_descriptor(descriptor_ref)
        .name(Name(base.as_bytes()))
        .flags(flags)
        .bbox(font_bbox(x0, y0, x1, y1))
        .italic_angle(font_metric(0))
        .ascent(font_metric(metrics.ascent))
        .descent(font_metric(metrics.descent))
        .cap_height(font_metric(metrics.cap_height))
        .stem_v(font_metric(if face == Face::Bold { 140 } else { 80 }))
        .font_file2(file_ref);

    pdf.cmap(unicode_ref, &e.cmap).filter(Filter::FlateDecode);
    pdf.stream(file_ref, &e.font)
        .filter(Filter::FlateDecode)
        .pair(Name(b"Length1"), i32::try_from(e.font_len).unwrap_or(i32::MAX));
    pdf.stream(map_ref, &e.map).filter(Filter::FlateDecode);
    Ok(())
}
