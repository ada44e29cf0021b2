//! Normalising printed labels and figures so that a saved page, a mirror site in traditional
//! characters and an Excel sheet all match the catalog's labels — and nothing else does.

use std::str::FromStr;

use rust_decimal::Decimal;

/// Traditional → simplified for every character of the catalogs' labels and of the cue words
/// (metadata keys, titles) that has a traditional form. Mirror sites convert whole pages; only
/// labels need to match, so a closed table is exact where a general converter would guess.
const TRADITIONAL: &[(char, char)] = &[
    ('萬', '万'),
    ('與', '与'),
    ('專', '专'),
    ('個', '个'),
    ('為', '为'),
    ('爲', '为'),
    ('舉', '举'),
    ('鄉', '乡'),
    ('於', '于'),
    ('從', '从'),
    ('會', '会'),
    ('傳', '传'),
    ('體', '体'),
    ('眾', '众'),
    ('衆', '众'),
    ('關', '关'),
    ('內', '内'),
    ('決', '决'),
    ('況', '况'),
    ('減', '减'),
    ('務', '务'),
    ('動', '动'),
    ('區', '区'),
    ('單', '单'),
    ('參', '参'),
    ('發', '发'),
    ('員', '员'),
    ('後', '后'),
    ('圍', '围'),
    ('國', '国'),
    ('處', '处'),
    ('復', '复'),
    ('複', '复'),
    ('審', '审'),
    ('對', '对'),
    ('屬', '属'),
    ('強', '强'),
    ('當', '当'),
    ('徑', '径'),
    ('總', '总'),
    ('執', '执'),
    ('護', '护'),
    ('報', '报'),
    ('據', '据'),
    ('數', '数'),
    ('無', '无'),
    ('時', '时'),
    ('機', '机'),
    ('權', '权'),
    ('條', '条'),
    ('構', '构'),
    ('沒', '没'),
    ('濟', '济'),
    ('點', '点'),
    ('熱', '热'),
    ('現', '现'),
    ('確', '确'),
    ('穩', '稳'),
    ('類', '类'),
    ('係', '系'),
    ('糾', '纠'),
    ('納', '纳'),
    ('線', '线'),
    ('組', '组'),
    ('織', '织'),
    ('經', '经'),
    ('結', '结'),
    ('絡', '络'),
    ('統', '统'),
    ('繼', '继'),
    ('續', '续'),
    ('維', '维'),
    ('編', '编'),
    ('繳', '缴'),
    ('網', '网'),
    ('罰', '罚'),
    ('職', '职'),
    ('輿', '舆'),
    ('範', '范'),
    ('獲', '获'),
    ('補', '补'),
    ('規', '规'),
    ('計', '计'),
    ('認', '认'),
    ('訓', '训'),
    ('議', '议'),
    ('許', '许'),
    ('訟', '讼'),
    ('設', '设'),
    ('訪', '访'),
    ('訴', '诉'),
    ('詢', '询'),
    ('請', '请'),
    ('讀', '读'),
    ('談', '谈'),
    ('負', '负'),
    ('責', '责'),
    ('購', '购'),
    ('費', '费'),
    ('轉', '转'),
    ('輯', '辑'),
    ('過', '过'),
    ('這', '这'),
    ('採', '采'),
    ('錯', '错'),
    ('鎮', '镇'),
    ('門', '门'),
    ('聞', '闻'),
    ('閱', '阅'),
    ('隱', '隐'),
    ('項', '项'),
    ('題', '题'),
    ('額', '额'),
    ('駁', '驳'),
    ('業', '业'),
    ('製', '制'),
    ('辦', '办'),
    ('應', '应'),
    ('廢', '废'),
    ('開', '开'),
    ('標', '标'),
    ('號', '号'),
    ('佈', '布'),
    ('頒', '颁'),
    ('縣', '县'),
    ('華', '华'),
    ('間', '间'),
    ('們', '们'),
    ('來', '来'),
    ('實', '实'),
    ('際', '际'),
    ('頁', '页'),
    ('級', '级'),
    ('態', '态'),
    ('說', '说'),
    ('讓', '让'),
    ('辭', '辞'),
    ('週', '周'),
    ('檔', '档'),
    ('證', '证'),
    ('陳', '陈'),
    ('劉', '刘'),
    ('張', '张'),
    // Place names the search table leaves alone (雲 is also a surname kept in search).
    ('雲', '云'),
];

/// One character in simplified form.
pub(super) fn simplify_char(c: char) -> char {
    static MAP: std::sync::OnceLock<std::collections::HashMap<char, char>> =
        std::sync::OnceLock::new();
    if c.is_ascii() {
        return c;
    }
    let map = MAP.get_or_init(|| TRADITIONAL.iter().copied().collect());
    // The closed table first (labels' own characters), then search's general folding table
    // (place names and cue words of mirror sites: 長江鎮, 統計時限).
    map.get(&c)
        .copied()
        .unwrap_or_else(|| crate::search::fold_char(c))
}

/// Full-width ASCII (`１２３`, `（`, `：`) as half-width, the ideographic space as a space.
pub(super) fn half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' | '\u{00A0}' => ' ',
        _ => c,
    }
}

/// Whether a text has traditional characters of the table (for the import report).
pub(super) fn has_traditional(text: &str) -> bool {
    text.chars().any(|c| simplify_char(c) != c)
}

/// The comparison key of a label: simplified characters, half-width punctuation, no spaces or
/// line breaks, no quotation marks, `1、`/`1．` as `1.`, the pinyin some mirror sites print after
/// each character (`統(tǒng)計`) left out, and the seed's typo 《条列》 as 《条例》.
/// Everything else must match exactly.
pub fn key(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    let chars: Vec<char> = label.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if let Some(len) = pinyin_gloss(&chars[i - 1..], out.chars().last()) {
            i += len - 1;
            continue;
        }
        let c = half_width(simplify_char(c));
        if c.is_whitespace() || matches!(c, '"' | '\'' | '“' | '”' | '‘' | '’' | '\u{200B}')
        {
            continue;
        }
        let c = match c {
            '、' if out.ends_with(|p: char| p.is_ascii_digit()) => '.',
            '【' | '〔' => '[',
            '】' | '〕' => ']',
            '《' | '〈' => '<',
            '》' | '〉' => '>',
            '—' | '–' => '-',
            other => other,
        };
        out.push(c);
    }
    out.replace("<条列>", "<条例>")
}

/// The length of a pinyin gloss in brackets (`(tǒng)`) at the start of `chars`, right after a
/// Chinese character `before`: a mirror site's annotation, not printed text of the report.
fn pinyin_gloss(chars: &[char], before: Option<char>) -> Option<usize> {
    if !matches!(chars.first(), Some('(' | '（')) || before.is_none_or(|b| b < '\u{4E00}') {
        return None;
    }
    let close = chars.iter().take(9).position(|c| matches!(c, ')' | '）'))?;
    let inner = &chars[1..close];
    let pinyin = |c: &char| c.is_ascii_lowercase() || ('\u{00E0}'..='\u{01DC}').contains(c);
    (!inner.is_empty() && inner.iter().all(pinyin) && inner.iter().any(|c| !c.is_ascii()))
        .then_some(close + 1)
}

/// A printed figure read from a cell: exact, or why it is not a figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Figure {
    /// An empty cell: not reported.
    Blank,
    /// A number exactly as written; `normalised` says what was changed to read it.
    Number {
        /// The value, digits and scale as printed.
        value: Decimal,
        /// A unit printed after the number (`251000元`), if any.
        unit: Option<String>,
        /// Full-width digits or thousands separators were normalised (exact, but reported).
        normalised: bool,
    },
    /// A mark that is not a number (`—`, `/`, `无`, `约3`): left blank for a person to check.
    NotANumber(String),
}

/// Units a figure may carry in its cell.
const SUFFIX_UNITS: &[&str] = &[
    "万元", "元", "件", "条", "次", "个", "人次", "人", "篇", "项",
];

/// Read a cell as a figure. Never guesses: `1,234` and `１２３` are exact and accepted (and
/// reported); anything else that is not plainly a number is [`Figure::NotANumber`].
pub fn figure(cell: &str) -> Figure {
    let raw = cell.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}' || c == '\u{00A0}');
    if raw.is_empty() {
        return Figure::Blank;
    }
    let half: String = raw
        .chars()
        .map(half_width)
        .map(|c| if c == '−' { '-' } else { c })
        .collect();
    let mut normalised = half != raw;
    let (number, unit) = split_unit(&half);
    let mut digits = number.to_string();
    if digits.contains(',') {
        if !thousands_grouped(&digits) {
            return Figure::NotANumber(raw.to_string());
        }
        digits.retain(|c| c != ',');
        normalised = true;
    }
    let plain = digits
        .strip_prefix('-')
        .unwrap_or(&digits)
        .split_once('.')
        .map_or(
            !digits.is_empty()
                && digits
                    .strip_prefix('-')
                    .unwrap_or(&digits)
                    .bytes()
                    .all(|b| b.is_ascii_digit()),
            |(i, f)| {
                !i.is_empty()
                    && !f.is_empty()
                    && i.bytes().all(|b| b.is_ascii_digit())
                    && f.bytes().all(|b| b.is_ascii_digit())
            },
        );
    if !plain {
        return Figure::NotANumber(raw.to_string());
    }
    match Decimal::from_str(&digits) {
        Ok(value) => Figure::Number {
            value,
            unit: unit.map(str::to_string),
            normalised,
        },
        Err(_) => Figure::NotANumber(raw.to_string()),
    }
}

fn split_unit(text: &str) -> (&str, Option<&str>) {
    for unit in SUFFIX_UNITS {
        if let Some(number) = text.strip_suffix(unit)
            && !number.is_empty()
        {
            return (number.trim_end(), Some(unit));
        }
    }
    (text, None)
}

/// `1,234` and `12,345.6` but not `1,23` or `,123`.
fn thousands_grouped(text: &str) -> bool {
    let body = text.strip_prefix('-').unwrap_or(text);
    let int = body.split_once('.').map_or(body, |(i, _)| i);
    let groups: Vec<&str> = int.split(',').collect();
    groups[0].len() <= 3 && !groups[0].is_empty() && groups[1..].iter().all(|g| g.len() == 3)
}

/// Convert Chinese numerals of a year (`二〇一八`, `二O一九`) to digits; other text unchanged.
pub(super) fn chinese_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '〇' | '○' | 'O' | '零' | 'o' | 'Ｏ' => '0',
            '一' => '1',
            '二' => '2',
            '三' => '3',
            '四' => '4',
            '五' => '5',
            '六' => '6',
            '七' => '7',
            '八' => '8',
            '九' => '9',
            other => half_width(other),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(text: &str) -> (String, Option<String>, bool) {
        match figure(text) {
            Figure::Number {
                value,
                unit,
                normalised,
            } => (value.to_string(), unit, normalised),
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn keys_tolerate_width_spaces_breaks_and_traditional_only() {
        assert_eq!(key("數(shù)據(jù)統(tǒng)計期限"), key("数据统计期限"));
        assert_eq!(key("长江(cháng)"), "长江");
        assert_eq!(
            key("(一)主动公开(zdgk)"),
            "(一)主动公开(zdgk)",
            "no tone mark: printed"
        );
        assert_eq!(key("统 计 指 标"), key("統計指標"));
        assert_eq!(
            key("（一）主动公开\n政府信息数"),
            key("(一)主动公开政府信息数")
        );
        assert_eq!(key("本年制發件數"), key("本年制发件数"));
        assert_eq!(key("1、政府公报"), key("1.政府公报"));
        assert_eq!(
            key("不是《条列》所指政府信息"),
            key("不是《条例》所指政府信息")
        );
        assert_eq!(key("危及“三安全一稳定”"), key("危及\"三安全一稳定\""));
        assert_ne!(key("规范性文件"), key("行政规范性文件"));
        assert_ne!(key("收到申请数"), key("收到申请总数"));
    }

    #[test]
    fn figures_are_exact_or_refused() {
        assert_eq!(num("147"), ("147".into(), None, false));
        assert_eq!(num("1.50"), ("1.50".into(), None, false));
        assert_eq!(num("１２３"), ("123".into(), None, true));
        assert_eq!(num("1,234"), ("1234".into(), None, true));
        assert_eq!(num("-3"), ("-3".into(), None, false));
        assert_eq!(num("251000元"), ("251000".into(), Some("元".into()), false));
        assert_eq!(num("0"), ("0".into(), None, false));
        assert_eq!(figure("  "), Figure::Blank);
        for bad in ["—", "/", "无", "约3", "1,23", "3-5", "1.2.3", "."] {
            assert!(matches!(figure(bad), Figure::NotANumber(_)), "{bad}");
        }
    }

    #[test]
    fn chinese_year_digits() {
        assert_eq!(chinese_digits("二O一九年"), "2019年");
        assert_eq!(chinese_digits("二〇一八"), "2018");
    }
}
