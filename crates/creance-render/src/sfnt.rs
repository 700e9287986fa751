//! Dropping one table from a TrueType font file (the sfnt container): the subset written into each
//! PDF leaves out the `name` table, which viewers never read for an embedded font and which holds
//! the whole licence text (several kilobytes per font per letter). The other tables are copied as
//! they are, each on a four-byte boundary, with the directory rebuilt.

const HEADER: usize = 12;
const RECORD: usize = 16;

fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*data.get(at)?, *data.get(at + 1)?]))
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes([*data.get(at)?, *data.get(at + 1)?, *data.get(at + 2)?, *data.get(at + 3)?]))
}

/// `font` without its table `tag`, or `None` when `font` is not a well-formed sfnt file.
pub fn without_table(font: &[u8], tag: &[u8; 4]) -> Option<Vec<u8>> {
    let count = usize::from(u16_at(font, 4)?);
    let mut tables: Vec<([u8; 4], u32, &[u8])> = Vec::with_capacity(count);
    for i in 0..count {
        let at = HEADER + i * RECORD;
        let t: [u8; 4] = font.get(at..at + 4)?.try_into().ok()?;
        let checksum = u32_at(font, at + 4)?;
        let offset = usize::try_from(u32_at(font, at + 8)?).ok()?;
        let length = usize::try_from(u32_at(font, at + 12)?).ok()?;
        if &t != tag {
            tables.push((t, checksum, font.get(offset..offset.checked_add(length)?)?));
        }
    }
    let kept = u16::try_from(tables.len()).ok()?;
    // searchRange, entrySelector and rangeShift of the directory (OpenType spec).
    let mut power = 1u16;
    let mut selector = 0u16;
    while power.checked_mul(2).is_some_and(|p| p <= kept) {
        power *= 2;
        selector += 1;
    }
    let range = power.saturating_mul(16);
    let mut out = Vec::with_capacity(font.len());
    out.extend_from_slice(font.get(0..4)?);
    for v in [kept, range, selector, kept.saturating_mul(16).saturating_sub(range)] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    let mut offset = HEADER + tables.len() * RECORD;
    for (t, checksum, data) in &tables {
        out.extend_from_slice(t);
        out.extend_from_slice(&checksum.to_be_bytes());
        out.extend_from_slice(&u32::try_from(offset).ok()?.to_be_bytes());
        out.extend_from_slice(&u32::try_from(data.len()).ok()?.to_be_bytes());
        offset += data.len().next_multiple_of(4);
    }
    for (_, _, data) in &tables {
        out.extend_from_slice(data);
        out.resize(out.len().next_multiple_of(4), 0);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_table_goes_and_the_font_still_parses() {
        let font = crate::fonts::REGULAR_TTF;
        let out = without_table(font, b"name").unwrap();
        assert!(out.len() < font.len());
        let face = ttf_parser::Face::parse(&out, 0).unwrap();
        assert!(face.glyph_index('€').is_some());
        assert!(face.raw_face().table(ttf_parser::Tag::from_bytes(b"name")).is_none());
        assert!(face.raw_face().table(ttf_parser::Tag::from_bytes(b"glyf")).is_some());
    }
}
