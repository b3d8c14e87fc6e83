//! A small XML builder for the AWS query and REST-XML protocols the endpoint speaks (ELBv2,
//! Auto Scaling, RDS, ElastiCache, Route 53), their common error document, and the query
//! protocol's form values; quick-xml escapes text.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use super::route::{ApiError, Reply};

pub(crate) const REQUEST_ID: &str = "5c0f4e7a-0000-4000-8000-000000000000";

/// A small XML builder; quick-xml escapes text.
pub(crate) struct Xml(Writer<Vec<u8>>);

impl Xml {
    pub(crate) fn new() -> Self {
        let mut w = Writer::new(Vec::new());
        let _ = w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
        Xml(w)
    }
    pub(crate) fn open(&mut self, name: &str) -> &mut Self {
        let _ = self.0.write_event(Event::Start(BytesStart::new(name)));
        self
    }
    /// Opens the response's root element in namespace `ns`.
    pub(crate) fn open_ns(&mut self, ns: &str, name: &str) -> &mut Self {
        let mut s = BytesStart::new(name);
        s.push_attribute(("xmlns", ns));
        let _ = self.0.write_event(Event::Start(s));
        self
    }
    pub(crate) fn close(&mut self, name: &str) -> &mut Self {
        let _ = self.0.write_event(Event::End(BytesEnd::new(name)));
        self
    }
    pub(crate) fn leaf(&mut self, name: &str, text: &str) -> &mut Self {
        self.open(name);
        let _ = self.0.write_event(Event::Text(BytesText::new(text)));
        self.close(name)
    }
    pub(crate) fn into_reply(self, status: u16) -> Reply {
        Reply {
            status,
            headers: vec![("content-type", "text/xml".into())],
            body: self.0.into_inner(),
        }
    }
}

/// `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>` in `ns`.
pub(crate) fn error(ns: &str, e: &ApiError) -> Reply {
    let mut x = Xml::new();
    x.open_ns(ns, "ErrorResponse")
        .open("Error")
        .leaf("Type", e.fault_type())
        .leaf("Code", &e.code)
        .leaf("Message", &e.message)
        .close("Error")
        .leaf("RequestId", REQUEST_ID)
        .close("ErrorResponse");
    x.into_reply(e.status)
}

/// The `ResponseMetadata` trailer and the close of the root element `name`.
pub(crate) fn finish(x: &mut Xml, name: &str) {
    x.open("ResponseMetadata")
        .leaf("RequestId", REQUEST_ID)
        .close("ResponseMetadata")
        .close(name);
}

/// `Prefix.member.N` values in N order.
pub(crate) fn members(form: &[(String, String)], prefix: &str) -> Vec<String> {
    let p = format!("{prefix}.member.");
    let mut v: Vec<(usize, String)> = form
        .iter()
        .filter_map(|(k, val)| Some((k.strip_prefix(&p)?.parse().ok()?, val.clone())))
        .collect();
    v.sort();
    v.into_iter().map(|(_, s)| s).collect()
}

pub(crate) fn one<'a>(form: &'a [(String, String)], key: &str) -> Option<&'a str> {
    form.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}
