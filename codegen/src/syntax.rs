//! Builders of `syn` syntax trees for the shapes emit writes, so that emit hands prettyplease
//! the tree it prints without printing tokens for syn to parse back (why: ARCHITECTURE.md,
//! Speed). Long, because syn's structs are verbose to build, and one thing: every constructor
//! of syntax is here and nothing else is.
//!
//! Identifiers are `syn::Ident`s (checked by `Ident::new`) and text from the spec only ever
//! becomes a string literal or a doc attribute, as with `quote!`. Paths passed as `&str` are
//! `::`-separated identifiers written in emit, never spec text.

use proc_macro2::{Ident, Span, TokenStream};
use syn::punctuated::Punctuated;
use syn::{
    AttrStyle, Attribute, Expr, Field, Fields, FnArg, GenericArgument, ImplItem, Item, Lit, LitStr, Meta, Pat, Path,
    PathArguments, PathSegment, ReturnType, Signature, Stmt, Type, Variant, Visibility,
};

/// An identifier; `name` is one already (names come from the IR).
pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// A path from `::`-separated identifiers, with a leading `::` when `text` starts with one.
pub(crate) fn path(text: &str) -> Path {
    let (leading, rest) = match text.strip_prefix("::") {
        Some(rest) => (Some(Default::default()), rest),
        None => (None, text),
    };
    // identifiers hold no `:`, so the segments are what lies between colons
    let segments = rest.split(':').filter(|s| !s.is_empty());
    Path { leading_colon: leading, segments: segments.map(|s| PathSegment::from(ident(s))).collect() }
}

/// `path` with generic arguments on its last segment: `Vec<T>`.
pub(crate) fn generic(text: &str, args: impl IntoIterator<Item = Type>) -> Type {
    path_type(generic_path(text, args))
}

fn generic_path(text: &str, args: impl IntoIterator<Item = Type>) -> Path {
    let mut path = path(text);
    if let Some(last) = path.segments.last_mut() {
        last.arguments = PathArguments::AngleBracketed(syn::AngleBracketedGenericArguments {
            colon2_token: None,
            lt_token: Default::default(),
            args: args.into_iter().map(GenericArgument::Type).collect(),
            gt_token: Default::default(),
        });
    }
    path
}

pub(crate) fn path_type(path: Path) -> Type {
    Type::Path(syn::TypePath { attrs: Vec::new(), qself: None, path })
}

/// A type named by a path: `String`, `crate::Timestamp`.
pub(crate) fn named(text: &str) -> Type {
    path_type(path(text))
}

/// `&'static str` (or `&str` without the lifetime).
pub(crate) fn str_ref(is_static: bool) -> Type {
    Type::Reference(syn::TypeReference {
        attrs: Vec::new(),
        and_token: Default::default(),
        lifetime: is_static.then(|| syn::Lifetime::new("'static", Span::call_site())),
        mutability: None,
        elem: Box::new(named("str")),
    })
}

/// `impl Into<T>`.
pub(crate) fn impl_into(ty: Type) -> Type {
    let bound = syn::TraitBound {
        paren_token: None,
        lifetimes: None,
        modifiers: Default::default(),
        maybe: None,
        path: generic_path("Into", [ty]),
    };
    Type::ImplTrait(syn::TypeImplTrait {
        attrs: Vec::new(),
        impl_token: Default::default(),
        bounds: [syn::TypeParamBound::Trait(bound)].into_iter().collect(),
    })
}

/// `impl IntoIterator<Item = item>`.
pub(crate) fn impl_into_iter(item: Type) -> Type {
    let mut path = path("IntoIterator");
    if let Some(last) = path.segments.last_mut() {
        let binding = syn::AssocType { ident: ident("Item"), generics: None, eq_token: Default::default(), ty: item };
        last.arguments = PathArguments::AngleBracketed(syn::AngleBracketedGenericArguments {
            colon2_token: None,
            lt_token: Default::default(),
            args: [GenericArgument::AssocType(binding)].into_iter().collect(),
            gt_token: Default::default(),
        });
    }
    let bound =
        syn::TraitBound { paren_token: None, lifetimes: None, modifiers: Default::default(), maybe: None, path };
    Type::ImplTrait(syn::TypeImplTrait {
        attrs: Vec::new(),
        impl_token: Default::default(),
        bounds: [syn::TypeParamBound::Trait(bound)].into_iter().collect(),
    })
}

/// `&ty` or `&mut ty`.
pub(crate) fn ref_type(ty: Type, mutable: bool) -> Type {
    Type::Reference(syn::TypeReference {
        attrs: Vec::new(),
        and_token: Default::default(),
        lifetime: None,
        mutability: mutable.then(Default::default),
        elem: Box::new(ty),
    })
}

fn attribute(style: AttrStyle, meta: Meta) -> Attribute {
    Attribute { pound_token: Default::default(), style, bracket_token: Default::default(), meta }
}

/// `#[doc = "text"]` (`///text`).
pub(crate) fn doc(text: &str) -> Attribute {
    attribute(AttrStyle::Outer, doc_meta(text))
}

/// What an item's doc comment is while it is a syntax tree: a `///` line of [`DOC_MARKER`]
/// and the comment's index in its module's list, which render replaces with the comment's
/// lines (`render::place_docs`). Built and printed as one `#[doc]` literal per line, docs were
/// a tenth of a whole run on Stripe's spec, and each line's text is printed as it is anyway.
pub(crate) fn doc_marker(index: usize) -> Attribute {
    // short and known: a cooked literal, which is quick to make for so few characters
    let marker = LitStr::new(&format!("{DOC_MARKER}{index}"), Span::call_site());
    let value = Expr::Lit(syn::ExprLit { attrs: Vec::new(), lit: Lit::Str(marker) });
    attribute(
        AttrStyle::Outer,
        Meta::NameValue(syn::MetaNameValue { path: path("doc"), eq_token: Default::default(), value }),
    )
}

/// Starts a doc marker's text: a control character, which no doc line holds (`docs::clean`
/// makes every one a space, and generated sentences have none).
pub(crate) const DOC_MARKER: char = '\u{1}';

/// `#![doc = "text"]` (`//!text`).
pub(crate) fn inner_doc(text: &str) -> Attribute {
    attribute(AttrStyle::Inner(Default::default()), doc_meta(text))
}

fn doc_meta(text: &str) -> Meta {
    let value = Expr::Lit(syn::ExprLit { attrs: Vec::new(), lit: Lit::Str(doc_literal(text)) });
    Meta::NameValue(syn::MetaNameValue { path: path("doc"), eq_token: Default::default(), value })
}

/// A doc line as a raw string literal (`r#"text"#`), with as many `#` as the text needs: the
/// same value as a cooked literal, made and read back (prettyplease reads every doc attribute's
/// value to print it as `///`) without escaping each character, which was a tenth of a whole
/// run's time on Stripe's spec. Text a raw literal cannot hold (a bare carriage return) is
/// written cooked.
fn doc_literal(text: &str) -> LitStr {
    let cooked = || LitStr::new(text, Span::call_site());
    if text.contains('\r') {
        return cooked();
    }
    // a `"` followed by n `#` would end a fence of n or fewer
    let hashes = text.split('"').skip(1).map(|after| after.len() - after.trim_start_matches('#').len()).max();
    let fence = "#".repeat(hashes.map_or(0, |n| n + 1));
    match format!("r{fence}\"{text}\"{fence}").parse::<proc_macro2::Literal>().map(Lit::new) {
        Ok(Lit::Str(lit)) => lit,
        _ => cooked(),
    }
}

/// `#[name(tokens)]`: `#[derive(Clone)]`, `#[serde(rename = "x")]`, `#[cfg(feature = "x")]`.
pub(crate) fn attr(name: &str, tokens: TokenStream) -> Attribute {
    attribute(AttrStyle::Outer, list_meta(name, tokens))
}

/// `#[name]`.
pub(crate) fn word_attr(name: &str) -> Attribute {
    attribute(AttrStyle::Outer, Meta::Path(path(name)))
}

/// `#![name(tokens)]`.
pub(crate) fn inner_attr(name: &str, tokens: TokenStream) -> Attribute {
    attribute(AttrStyle::Inner(Default::default()), list_meta(name, tokens))
}

fn list_meta(name: &str, tokens: TokenStream) -> Meta {
    Meta::List(syn::MetaList { path: path(name), delimiter: syn::MacroDelimiter::Paren(Default::default()), tokens })
}

fn public() -> Visibility {
    Visibility::Public(Default::default())
}

/// `pub name: ty` with its attributes.
pub(crate) fn field(attrs: Vec<Attribute>, name: &str, ty: Type) -> Field {
    Field {
        attrs,
        vis: public(),
        modifiers: Default::default(),
        ident: Some(ident(name)),
        colon_token: Some(Default::default()),
        ty,
        default: None,
    }
}

/// `pub struct Name { fields }`.
pub(crate) fn struct_item(attrs: Vec<Attribute>, name: &str, fields: Vec<Field>) -> Item {
    let fields =
        Fields::Named(syn::FieldsNamed { brace_token: Default::default(), named: fields.into_iter().collect() });
    struct_of(attrs, name, fields)
}

/// `pub struct Name(ty);` with a private field.
pub(crate) fn tuple_struct(attrs: Vec<Attribute>, name: &str, ty: Type) -> Item {
    struct_of(attrs, name, unnamed(ty))
}

fn struct_of(attrs: Vec<Attribute>, name: &str, fields: Fields) -> Item {
    let semi_token = matches!(fields, Fields::Unnamed(_)).then(Default::default);
    Item::Struct(syn::ItemStruct {
        attrs,
        vis: public(),
        struct_token: Default::default(),
        ident: ident(name),
        generics: Default::default(),
        fields,
        semi_token,
    })
}

fn unnamed(ty: Type) -> Fields {
    let field = Field {
        attrs: Vec::new(),
        vis: Visibility::Inherited,
        modifiers: Default::default(),
        ident: None,
        colon_token: None,
        ty,
        default: None,
    };
    Fields::Unnamed(syn::FieldsUnnamed { paren_token: Default::default(), unnamed: [field].into_iter().collect() })
}

/// `Name` or `Name(ty)` in an enum.
pub(crate) fn variant(attrs: Vec<Attribute>, name: &str, ty: Option<Type>) -> Variant {
    Variant { attrs, ident: ident(name), fields: ty.map_or(Fields::Unit, unnamed), discriminant: None }
}

/// `pub enum Name { variants }`.
pub(crate) fn enum_item(attrs: Vec<Attribute>, name: &str, variants: Vec<Variant>) -> Item {
    Item::Enum(syn::ItemEnum {
        attrs,
        vis: public(),
        enum_token: Default::default(),
        ident: ident(name),
        generics: Default::default(),
        brace_token: Default::default(),
        variants: variants.into_iter().collect(),
    })
}

/// `path! { tokens }`; `render` lays out its tokens one entry per line.
pub(crate) fn macro_item(attrs: Vec<Attribute>, name: &str, tokens: TokenStream) -> Item {
    Item::Macro(syn::ItemMacro {
        attrs,
        ident: None,
        mac: syn::Macro {
            path: path(name),
            bang_token: Default::default(),
            delimiter: syn::MacroDelimiter::Brace(Default::default()),
            tokens,
        },
        semi_token: None,
    })
}

/// `impl Type { items }` or `impl Trait for Type { items }`.
pub(crate) fn impl_item(attrs: Vec<Attribute>, trait_: Option<&str>, self_ty: &str, items: Vec<ImplItem>) -> Item {
    Item::Impl(syn::ItemImpl {
        attrs,
        modifiers: Default::default(),
        unsafety: None,
        impl_token: Default::default(),
        generics: Default::default(),
        trait_: trait_.map(|t| (path(t), Default::default())),
        self_ty: Box::new(named(self_ty)),
        brace_token: Default::default(),
        items,
    })
}

/// `type Name = ty;` in a trait impl.
pub(crate) fn impl_type(name: &str, ty: Type) -> ImplItem {
    ImplItem::Type(syn::ImplItemType {
        attrs: Vec::new(),
        vis: Visibility::Inherited,
        modifiers: Default::default(),
        type_token: Default::default(),
        ident: ident(name),
        generics: Default::default(),
        eq_token: Default::default(),
        ty,
        semi_token: Default::default(),
    })
}

/// `const NAME: ty = expr;` in a trait impl.
pub(crate) fn impl_const(name: &str, ty: Type, expr: Expr) -> ImplItem {
    ImplItem::Const(syn::ImplItemConst {
        attrs: Vec::new(),
        vis: Visibility::Inherited,
        modifiers: Default::default(),
        const_token: Default::default(),
        ident: ident(name),
        generics: Default::default(),
        colon_token: Default::default(),
        ty,
        eq_token: Default::default(),
        expr,
        semi_token: Default::default(),
    })
}

/// `pub const NAME: ty = expr;`.
pub(crate) fn const_item(attrs: Vec<Attribute>, name: &str, ty: Type, expr: Expr) -> Item {
    Item::Const(syn::ItemConst {
        attrs,
        modifiers: Default::default(),
        vis: public(),
        const_token: Default::default(),
        ident: ident(name),
        generics: Default::default(),
        colon_token: Default::default(),
        ty: Box::new(ty),
        eq_token: Default::default(),
        expr: Box::new(expr),
        semi_token: Default::default(),
    })
}

/// `pub mod name;`.
pub(crate) fn mod_decl(attrs: Vec<Attribute>, name: &str) -> Item {
    module(attrs, name, None)
}

/// `pub mod name { items }`, with its items inline.
pub(crate) fn mod_inline(attrs: Vec<Attribute>, name: &str, items: Vec<Item>) -> Item {
    module(attrs, name, Some(items))
}

fn module(attrs: Vec<Attribute>, name: &str, items: Option<Vec<Item>>) -> Item {
    Item::Mod(syn::ItemMod {
        attrs,
        vis: public(),
        unsafety: None,
        mod_token: Default::default(),
        ident: ident(name),
        semi: items.is_none().then(Default::default),
        content: items.map(|items| (Default::default(), items)),
    })
}

/// `use crate::{names};` (or `use crate::name;` for one).
pub(crate) fn use_crate(attrs: Vec<Attribute>, names: &[String]) -> Item {
    let name = |n: &String| syn::UseTree::Name(syn::UseName { ident: ident(n) });
    let tree = match names {
        [one] => name(one),
        _ => syn::UseTree::Group(syn::UseGroup {
            brace_token: Default::default(),
            items: names.iter().map(name).collect(),
        }),
    };
    Item::Use(syn::ItemUse {
        attrs,
        vis: Visibility::Inherited,
        use_token: Default::default(),
        leading_colon: None,
        tree: syn::UseTree::Path(syn::UsePath {
            ident: ident("crate"),
            colon2_token: Default::default(),
            tree: Box::new(tree),
        }),
        semi_token: Default::default(),
    })
}

/// `pub use self::a::b::name;`, or `pub use self::a::b::*;` without a name.
pub(crate) fn use_item(attrs: Vec<Attribute>, modules: &[String], name: Option<&str>) -> Item {
    let mut tree = match name {
        Some(name) => syn::UseTree::Name(syn::UseName { ident: ident(name) }),
        None => syn::UseTree::Glob(syn::UseGlob { star_token: Default::default() }),
    };
    for segment in modules.iter().map(String::as_str).rev().chain(["self"]) {
        tree = syn::UseTree::Path(syn::UsePath {
            ident: ident(segment),
            colon2_token: Default::default(),
            tree: Box::new(tree),
        });
    }
    Item::Use(syn::ItemUse {
        attrs,
        vis: public(),
        use_token: Default::default(),
        leading_colon: None,
        tree,
        semi_token: Default::default(),
    })
}

/// How a method takes `self`.
pub(crate) enum Receiver {
    /// `&self`
    Ref,
    /// `mut self`
    MutValue,
}

/// A method of an impl block.
pub(crate) struct Method {
    pub attrs: Vec<Attribute>,
    pub public: bool,
    pub is_async: bool,
    pub name: String,
    pub receiver: Option<Receiver>,
    pub args: Vec<(Ident, Type)>,
    pub output: Option<Type>,
    pub body: Vec<Stmt>,
}

impl Method {
    pub(crate) fn build(self) -> ImplItem {
        let receiver = self.receiver.map(|r| {
            let (kind, mutability) = match r {
                Receiver::Ref => (syn::ReceiverKind::Reference(Default::default(), None, None), None),
                Receiver::MutValue => (syn::ReceiverKind::Value, Some(Default::default())),
            };
            FnArg::Receiver(syn::Receiver { attrs: Vec::new(), mutability, self_token: Default::default(), kind })
        });
        let args = self.args.into_iter().map(|(name, ty)| {
            FnArg::Typed(syn::PatType {
                attrs: Vec::new(),
                pat: Box::new(Pat::Ident(syn::PatIdent {
                    attrs: Vec::new(),
                    by_ref: None,
                    mutability: None,
                    ident: name,
                    subpat: None,
                })),
                colon_token: Default::default(),
                ty: Box::new(ty),
            })
        });
        let sig = Signature {
            constness: None,
            asyncness: self.is_async.then(Default::default),
            safety: syn::Safety::Default,
            abi: None,
            fn_token: Default::default(),
            ident: ident(&self.name),
            generics: Default::default(),
            paren_token: Default::default(),
            inputs: receiver.into_iter().chain(args).collect(),
            variadic: None,
            output: self.output.map_or(ReturnType::Default, |t| ReturnType::Type(Default::default(), Box::new(t))),
        };
        ImplItem::Fn(syn::ImplItemFn {
            attrs: self.attrs,
            vis: if self.public { public() } else { Visibility::Inherited },
            modifiers: Default::default(),
            sig,
            block: syn::Block { brace_token: Default::default(), stmts: self.body },
        })
    }
}

/// A path as an expression: `self`, `crate::Method::Get`, `None`.
pub(crate) fn expr_path(text: &str) -> Expr {
    Expr::Path(syn::ExprPath { attrs: Vec::new(), qself: None, path: path(text) })
}

/// An identifier as an expression.
pub(crate) fn expr_ident(name: &Ident) -> Expr {
    Expr::Path(syn::ExprPath { attrs: Vec::new(), qself: None, path: name.clone().into() })
}

/// A string literal.
pub(crate) fn lit_str(text: &str) -> Expr {
    Expr::Lit(syn::ExprLit { attrs: Vec::new(), lit: Lit::Str(LitStr::new(text, Span::call_site())) })
}

/// `true` or `false`.
pub(crate) fn lit_bool(value: bool) -> Expr {
    Expr::Lit(syn::ExprLit { attrs: Vec::new(), lit: Lit::Bool(syn::LitBool::new(value, Span::call_site())) })
}

/// `func(args)`.
pub(crate) fn call(func: Expr, args: Vec<Expr>) -> Expr {
    Expr::Call(syn::ExprCall {
        attrs: Vec::new(),
        func: Box::new(func),
        paren_token: Default::default(),
        args: args.into_iter().collect(),
    })
}

/// `receiver.name(args)`.
pub(crate) fn method_call(receiver: Expr, name: &str, args: Vec<Expr>) -> Expr {
    Expr::MethodCall(syn::ExprMethodCall {
        attrs: Vec::new(),
        receiver: Box::new(receiver),
        dot_token: Default::default(),
        method: ident(name),
        turbofish: None,
        paren_token: Default::default(),
        args: args.into_iter().collect(),
    })
}

/// `self.name`.
pub(crate) fn self_field(name: &Ident) -> Expr {
    Expr::Field(syn::ExprField {
        attrs: Vec::new(),
        base: Box::new(expr_path("self")),
        dot_token: Default::default(),
        member: syn::Member::Named(name.clone()),
    })
}

/// `&expr`.
pub(crate) fn reference(expr: Expr) -> Expr {
    Expr::Reference(syn::ExprReference {
        attrs: Vec::new(),
        and_token: Default::default(),
        mutability: None,
        expr: Box::new(expr),
    })
}

/// `expr?`.
pub(crate) fn try_(expr: Expr) -> Expr {
    Expr::Try(syn::ExprTry { attrs: Vec::new(), expr: Box::new(expr), question_token: Default::default() })
}

/// `left = right`.
pub(crate) fn assign(left: Expr, right: Expr) -> Expr {
    Expr::Assign(syn::ExprAssign {
        attrs: Vec::new(),
        left: Box::new(left),
        eq_token: Default::default(),
        right: Box::new(right),
    })
}

/// `Self { name: value, shorthand, .. }`: a field without a value is written shorthand.
pub(crate) fn self_literal(fields: Vec<(Ident, Option<Expr>)>) -> Expr {
    let fields: Punctuated<syn::FieldValue, syn::Token![,]> = fields
        .into_iter()
        .map(|(name, value)| {
            let colon_token = value.is_some().then(Default::default);
            let expr = value.unwrap_or_else(|| expr_ident(&name));
            syn::FieldValue { attrs: Vec::new(), member: syn::Member::Named(name), colon_token, expr }
        })
        .collect();
    Expr::Struct(syn::ExprStruct {
        attrs: Vec::new(),
        qself: None,
        path: path("Self"),
        brace_token: Default::default(),
        fields,
        dot2_token: None,
        rest: None,
    })
}

/// `expr;`.
pub(crate) fn stmt(expr: Expr) -> Stmt {
    Stmt::Expr(expr, Some(Default::default()))
}

/// `expr` as a block's value.
pub(crate) fn tail(expr: Expr) -> Stmt {
    Stmt::Expr(expr, None)
}

/// `let mut name = init;`.
pub(crate) fn let_mut(name: &str, init: Expr) -> Stmt {
    Stmt::Local(syn::Local {
        attrs: Vec::new(),
        modifiers: Default::default(),
        let_token: Default::default(),
        pat: Pat::Ident(syn::PatIdent {
            attrs: Vec::new(),
            by_ref: None,
            mutability: Some(Default::default()),
            ident: ident(name),
            subpat: None,
        }),
        init: Some(syn::LocalInit { eq_token: Default::default(), expr: Box::new(init), diverge: None }),
        semi_token: Default::default(),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn doc_lines_keep_their_text_whatever_it_holds() {
        let texts = [
            "",
            "plain words",
            "a \"quote\"",
            "ends with \"#",
            "\"## and \"###",
            "back\\slash \\n and \\\"",
            "tab\there, unicode ключ ✓",
            "#\"",
        ];
        // a raw literal cannot hold a bare carriage return (nor can a `///` line; docs.rs
        // leaves none in doc text): it is written cooked
        assert_eq!(super::doc_literal("carriage\rreturn").value(), "carriage\rreturn");
        for text in texts {
            assert_eq!(super::doc_literal(text).value(), text, "{text:?}");
            let printed = prettyplease::unparse(&syn::File {
                shebang: None,
                frontmatter: None,
                attrs: vec![super::inner_doc(text)],
                items: Vec::new(),
            });
            let parsed: syn::File = syn::parse_str(&printed).unwrap_or_else(|e| panic!("{printed}: {e}"));
            let syn::Meta::NameValue(meta) = &parsed.attrs[0].meta else { panic!("{printed}") };
            let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(lit), .. }) = &meta.value else { panic!("{printed}") };
            assert_eq!(lit.value(), text, "{printed}");
        }
    }
}
