//! A small JSON reader and writer for what the portal exchanges: the API's
//! bodies and its own localStorage entries. Written here rather than taken
//! from serde_json, whose general machinery (and the float formatting its
//! error messages bring) cost about 13 KB of compressed wasm. Numbers are
//! kept as their text (the contract's are integers); strings are decoded
//! with every escape; depth is bounded. Pure; tested natively, against
//! serde_json as the reference.

/// A JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    /// The number as written (valid JSON number syntax).
    Number(Box<str>),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

/// Why a text is not JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonError {
    /// It ended before the value did.
    CutOff,
    /// It is not JSON.
    NotJson,
}

/// Nesting deeper than this is refused (as serde_json does at 128).
const MAX_DEPTH: u32 = 128;

/// Reads JSON values from a text, one after another, from a cursor.
pub struct Reader<'a> {
    text: &'a str,
    /// Where reading goes on (a byte offset).
    pub at: usize,
    depth: u32,
}

impl<'a> Reader<'a> {
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            at: 0,
            depth: 0,
        }
    }

    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    pub fn peek(&self) -> Option<u8> {
        self.bytes().get(self.at).copied()
    }

    /// The error for an unexpected byte: cut off at the end, else not JSON.
    fn unexpected(&self) -> JsonError {
        if self.at >= self.text.len() {
            JsonError::CutOff
        } else {
            JsonError::NotJson
        }
    }

    pub fn at_end(&self) -> bool {
        self.at >= self.text.len()
    }

    pub fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// Reads `byte` (after any space) if it comes next.
    pub fn eat(&mut self, byte: u8) -> bool {
        self.skip_space();
        let hit = self.peek() == Some(byte);
        if hit {
            self.at += 1;
        }
        hit
    }

    /// Reads `byte` (after any space), or says why the text is not JSON.
    pub fn expect(&mut self, byte: u8) -> Result<(), JsonError> {
        if self.eat(byte) {
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    /// Reads one value (after any space).
    pub fn value(&mut self) -> Result<Json, JsonError> {
        self.skip_space();
        match self.peek() {
            None => Err(JsonError::CutOff),
            Some(b'"') => self.string().map(Json::String),
            Some(b'{') => self.nested(|r| r.object().map(Json::Object)),
            Some(b'[') => self.nested(|r| r.array().map(Json::Array)),
            Some(b't') => self.word("true", Json::Bool(true)),
            Some(b'f') => self.word("false", Json::Bool(false)),
            Some(b'n') => self.word("null", Json::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(JsonError::NotJson),
        }
    }

    fn nested(
        &mut self,
        read: impl FnOnce(&mut Self) -> Result<Json, JsonError>,
    ) -> Result<Json, JsonError> {
        if self.depth >= MAX_DEPTH {
            return Err(JsonError::NotJson);
        }
        self.depth += 1;
        self.at += 1;
        let value = read(self);
        self.depth -= 1;
        value
    }

    fn object(&mut self) -> Result<Vec<(String, Json)>, JsonError> {
        let mut fields = Vec::new();
        if self.eat(b'}') {
            return Ok(fields);
        }
        loop {
            self.skip_space();
            if self.peek() != Some(b'"') {
                return Err(self.unexpected());
            }
            let key = self.string()?;
            self.expect(b':')?;
            let value = self.value()?;
            fields.push((key, value));
            if self.eat(b'}') {
                return Ok(fields);
            }
            self.expect(b',')?;
        }
    }

    fn array(&mut self) -> Result<Vec<Json>, JsonError> {
        let mut items = Vec::new();
        if self.eat(b']') {
            return Ok(items);
        }
        loop {
            items.push(self.value()?);
            if self.eat(b']') {
                return Ok(items);
            }
            self.expect(b',')?;
        }
    }

    fn word(&mut self, word: &str, value: Json) -> Result<Json, JsonError> {
        let rest = &self.bytes()[self.at..];
        let n = rest.len().min(word.len());
        if rest[..n] != word.as_bytes()[..n] {
            return Err(JsonError::NotJson);
        }
        if n < word.len() {
            return Err(JsonError::CutOff);
        }
        self.at += word.len();
        Ok(value)
    }

    fn number(&mut self) -> Result<Json, JsonError> {
        let start = self.at;
        let digits = |r: &mut Self| {
            let from = r.at;
            while matches!(r.peek(), Some(b'0'..=b'9')) {
                r.at += 1;
            }
            r.at - from
        };
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek() {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => {
                digits(self);
            }
            _ => return Err(self.unexpected()),
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if digits(self) == 0 {
                return Err(self.unexpected());
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if digits(self) == 0 {
                return Err(self.unexpected());
            }
        }
        Ok(Json::Number(self.text[start..self.at].into()))
    }

    /// Reads a string (the cursor on its opening quote), borrowed from the
    /// text when it has no escapes.
    pub fn string_ref(&mut self) -> Result<std::borrow::Cow<'a, str>, JsonError> {
        let start = self.at + 1;
        let rest = &self.bytes()[start..];
        let run = rest
            .iter()
            .position(|b| matches!(b, b'"' | b'\\') || *b < 0x20)
            .unwrap_or(rest.len());
        if rest.get(run) == Some(&b'"') {
            self.at = start + run + 1;
            return Ok(std::borrow::Cow::Borrowed(&self.text[start..start + run]));
        }
        self.string().map(std::borrow::Cow::Owned)
    }

    /// Reads a string (the cursor on its opening quote).
    pub fn string(&mut self) -> Result<String, JsonError> {
        self.at += 1;
        let mut out = String::new();
        loop {
            // Plain text up to the next quote, backslash or control character.
            let rest = &self.bytes()[self.at..];
            let run = rest
                .iter()
                .position(|b| matches!(b, b'"' | b'\\') || *b < 0x20)
                .unwrap_or(rest.len());
            out.push_str(&self.text[self.at..self.at + run]);
            self.at += run;
            match self.peek() {
                None => return Err(JsonError::CutOff),
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    self.escape(&mut out)?;
                }
                Some(_) => return Err(JsonError::NotJson),
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), JsonError> {
        let Some(byte) = self.peek() else {
            return Err(JsonError::CutOff);
        };
        self.at += 1;
        let c = match byte {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let first = self.hex4()?;
                match first {
                    0xD800..=0xDBFF => {
                        // A high surrogate must be followed by a low one.
                        for expected in [b'\\', b'u'] {
                            match self.peek() {
                                None => return Err(JsonError::CutOff),
                                Some(b) if b == expected => self.at += 1,
                                Some(_) => return Err(JsonError::NotJson),
                            }
                        }
                        let second = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&second) {
                            return Err(JsonError::NotJson);
                        }
                        let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                        char::from_u32(code).ok_or(JsonError::NotJson)?
                    }
                    0xDC00..=0xDFFF => return Err(JsonError::NotJson),
                    code => char::from_u32(code).ok_or(JsonError::NotJson)?,
                }
            }
            _ => return Err(JsonError::NotJson),
        };
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut code = 0;
        for _ in 0..4 {
            let Some(byte) = self.peek() else {
                return Err(JsonError::CutOff);
            };
            let digit = (byte as char).to_digit(16).ok_or(JsonError::NotJson)?;
            code = code * 16 + digit;
            self.at += 1;
        }
        Ok(code)
    }
}

/// A whole text as one JSON value (space around it allowed, nothing else).
pub fn parse(text: &str) -> Result<Json, JsonError> {
    let mut reader = Reader::new(text);
    let value = reader.value()?;
    reader.skip_space();
    if reader.at_end() {
        Ok(value)
    } else {
        Err(JsonError::NotJson)
    }
}

/// Appends `text` as a JSON string.
pub fn push_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 15] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// What a value is not, when a field has the wrong type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mismatch;

impl Json {
    /// A string, or `""` for null.
    pub fn text_or_empty(&self) -> Result<String, Mismatch> {
        match self {
            Json::String(s) => Ok(s.clone()),
            Json::Null => Ok(String::new()),
            _ => Err(Mismatch),
        }
    }

    /// A string, or `None` for null.
    pub fn optional_text(&self) -> Result<Option<String>, Mismatch> {
        match self {
            Json::String(s) => Ok(Some(s.clone())),
            Json::Null => Ok(None),
            _ => Err(Mismatch),
        }
    }

    /// A string (null is not one).
    pub fn text(&self) -> Result<String, Mismatch> {
        match self {
            Json::String(s) => Ok(s.clone()),
            _ => Err(Mismatch),
        }
    }

    /// A whole number that fits `u64` (`1`, not `1.0`, `1e2` or `-1`).
    pub fn unsigned(&self) -> Result<u64, Mismatch> {
        match self {
            Json::Number(n) if n.bytes().all(|b| b.is_ascii_digit()) => {
                n.parse().map_err(|_| Mismatch)
            }
            _ => Err(Mismatch),
        }
    }

    /// A whole number that fits `u32`, or `None` for null.
    pub fn optional_u32(&self) -> Result<Option<u32>, Mismatch> {
        match self {
            Json::Null => Ok(None),
            other => u32::try_from(other.unsigned()?)
                .map(Some)
                .map_err(|_| Mismatch),
        }
    }
}

/// The fields of an object, in order; `known` keys at most once each (as a
/// derived serde decoder insists; other keys may repeat, being ignored).
pub fn fields<'v>(value: &'v Json, known: &[&str]) -> Result<&'v [(String, Json)], Mismatch> {
    let Json::Object(fields) = value else {
        return Err(Mismatch);
    };
    for name in known {
        if fields.iter().filter(|(key, _)| key == name).count() > 1 {
            return Err(Mismatch);
        }
    }
    Ok(fields)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// serde_json's reading of the same text, in our terms.
    fn reference(text: &str) -> Result<Json, JsonError> {
        fn convert(value: serde_json::Value) -> Json {
            match value {
                serde_json::Value::Null => Json::Null,
                serde_json::Value::Bool(b) => Json::Bool(b),
                serde_json::Value::Number(n) => Json::Number(n.to_string().into()),
                serde_json::Value::String(s) => Json::String(s),
                serde_json::Value::Array(a) => Json::Array(a.into_iter().map(convert).collect()),
                serde_json::Value::Object(o) => {
                    Json::Object(o.into_iter().map(|(k, v)| (k, convert(v))).collect())
                }
            }
        }
        serde_json::from_str::<serde_json::Value>(text)
            .map(convert)
            .map_err(|e| {
                if e.is_eof() {
                    JsonError::CutOff
                } else {
                    JsonError::NotJson
                }
            })
    }

    /// Our reading, with numbers as serde_json would print them.
    fn ours(text: &str) -> Result<Json, JsonError> {
        fn normalize(value: Json) -> Json {
            match value {
                Json::Number(n) => {
                    let v: serde_json::Value = serde_json::from_str(&n).unwrap();
                    Json::Number(v.to_string().into())
                }
                Json::Array(a) => Json::Array(a.into_iter().map(normalize).collect()),
                Json::Object(o) => {
                    // serde_json's map keeps the last of repeated keys, sorted.
                    let mut map = std::collections::BTreeMap::new();
                    for (k, v) in o {
                        map.insert(k, normalize(v));
                    }
                    Json::Object(map.into_iter().collect())
                }
                other => other,
            }
        }
        parse(text).map(normalize)
    }

    #[test]
    fn values_of_every_kind() {
        let value = parse(r#" {"a": [1, -2.5e3, true, false, null], "b": "x\"\\\/\b\f\n\r\tñ\u00e9\ud83d\ude00", "c": {}} "#).unwrap();
        assert_eq!(
            value,
            Json::Object(vec![
                (
                    "a".into(),
                    Json::Array(vec![
                        Json::Number("1".into()),
                        Json::Number("-2.5e3".into()),
                        Json::Bool(true),
                        Json::Bool(false),
                        Json::Null
                    ])
                ),
                (
                    "b".into(),
                    Json::String("x\"\\/\u{8}\u{c}\n\r\tñé😀".into())
                ),
                ("c".into(), Json::Object(vec![])),
            ])
        );
    }

    #[test]
    fn cut_off_and_not_json_are_told_apart() {
        for cut in [
            "",
            "{",
            r#"{"a"#,
            r#"{"a":"#,
            r#"{"a":1"#,
            r#"{"a":1,"#,
            "[1,",
            "tr",
            "\"\\u12",
            "\"\\ud83d",
            "-",
            "1.",
            "1e",
        ] {
            assert_eq!(parse(cut), Err(JsonError::CutOff), "{cut:?}");
        }
        for junk in [
            "x",
            "{a:1}",
            "[1 2]",
            "[1,]",
            "{\"a\" 1}",
            "01",
            "1.e3",
            "+1",
            "\"\u{1}\"",
            "\"\\x\"",
            "\"\\udc00\"",
            "\"\\ud83dx\"",
            "true false",
            "nul1",
        ] {
            assert_eq!(parse(junk), Err(JsonError::NotJson), "{junk:?}");
        }
        assert_eq!(parse(&"[".repeat(200)), Err(JsonError::NotJson), "too deep");
    }

    #[test]
    fn strings_written_read_back() {
        let text = "quote \" backslash \\ newline \n tab \t bell \u{7} é 😀";
        let mut out = String::new();
        push_string(&mut out, text);
        assert_eq!(parse(&out), Ok(Json::String(text.into())));
        assert_eq!(serde_json::from_str::<String>(&out).unwrap(), text);
    }

    #[test]
    fn numbers_for_the_contract() {
        assert_eq!(Json::Number("42".into()).unsigned(), Ok(42));
        assert_eq!(
            Json::Number("18446744073709551615".into()).unsigned(),
            Ok(u64::MAX)
        );
        for bad in ["18446744073709551616", "1.0", "1e2", "-1"] {
            assert_eq!(Json::Number(bad.into()).unsigned(), Err(Mismatch), "{bad}");
        }
        assert_eq!(
            Json::Number("4294967296".into()).optional_u32(),
            Err(Mismatch)
        );
        assert_eq!(Json::Null.optional_u32(), Ok(None));
    }

    proptest! {
        #[test]
        fn it_reads_what_serde_json_reads(value in any_json()) {
            let text = value.to_string();
            prop_assert_eq!(ours(&text), reference(&text));
            let pretty = serde_json::to_string_pretty(&value).unwrap();
            prop_assert_eq!(ours(&pretty), reference(&pretty));
        }

        #[test]
        fn any_text_is_read_or_refused_as_serde_json_does(text in "[\\[\\]{}\":,0-9a-z\\\\. \\-eE+]{0,24}") {
            let (a, b) = (ours(&text), reference(&text));
            prop_assert_eq!(a.is_ok(), b.is_ok(), "{:?}: {:?} vs {:?}", text, a, b);
            if let (Ok(a), Ok(b)) = (a, b) {
                prop_assert_eq!(a, b);
            }
        }

        #[test]
        fn every_prefix_of_a_value_is_cut_off(value in any_json(), cut in 0usize..200) {
            let text = value.to_string();
            let cut = (0..=cut.min(text.len().saturating_sub(1))).rev().find(|c| text.is_char_boundary(*c)).unwrap_or(0);
            // A number may be whole at any digit ("12" of "123").
            if !matches!(value, serde_json::Value::Number(_)) {
                prop_assert_eq!(parse(&text[..cut]), Err(JsonError::CutOff));
            }
        }
    }

    fn any_json() -> impl Strategy<Value = serde_json::Value> {
        use serde_json::Value;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            (-1.0e9f64..1.0e9).prop_map(Value::from),
            any::<String>().prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::hash_map(".{0,6}", inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }
}
