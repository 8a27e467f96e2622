//! The doc example of a request type: a request that Stripe would accept, as a user writes it.
//!
//! It starts with a `use` of the names it needs, fills the required parameters with
//! placeholders (a string is its own wire name, a number zero, an enum its first value), and
//! where a required enum chooses a variant that an optional field of the same name goes with
//! (`account_holder[type]=account` with `account_holder[account]`), sets that field too: Stripe
//! rejects the one without the other. It prints the response's `id`, never the whole response,
//! which may hold a secret (a Session's `client_secret`).

use crate::ir::{Api, Field, Operation, TypeKind, TypeRef};
use std::collections::BTreeSet;

/// Widest line of the example, as rustfmt would wrap it (its `max_width`).
const WIDTH: usize = 100;
/// Widest a call's arguments are on one line (rustfmt's `fn_call_width`).
const CALL_ARGS_WIDTH: usize = 60;
/// Longest a chain is on one line (rustfmt's `chain_width`).
const CHAIN_WIDTH: usize = 60;
/// How deep placeholders nest before a type that needs itself gives up.
const MAX_DEPTH: usize = 6;

/// The `# Example` section of `op`'s doc, in crate `krate`; `None` when a required value cannot
/// be made up (a type that needs itself).
pub(crate) fn example(api: &Api, op: &Operation, krate: &str) -> Option<String> {
    let mut names = BTreeSet::from(["Client".to_owned(), "Error".to_owned(), op.name.clone()]);
    let mut values = Values { api, names: &mut names };
    let args = op
        .params
        .iter()
        .filter(|p| p.field.required)
        .map(|p| values.field(&p.field, 0))
        .collect::<Option<Vec<String>>>()?;
    let response = match &op.response {
        TypeRef::Named(id) => Some(&api.types[id.0]),
        _ => None,
    };
    let (binding, print) = match response.and_then(|ty| Some((ty, ty.id_field()?))) {
        Some((ty, id)) => {
            let binding = crate::naming::snake_ident(&ty.name);
            let print = format!("println!(\"{{}}\", {binding}.{});\n", id.name);
            (binding, print)
        }
        _ => ("_response".to_owned(), String::new()),
    };
    Some(format!(
        "# Example\n\n```no_run\n{}\n\n# async fn example(client: &Client) -> Result<(), Error> {{\n{}\n{print}# Ok(())\n# }}\n```",
        use_line(krate, &names),
        send_statement(&binding, &op.name, &args),
    ))
}

/// `let binding = Request::new(args).send(client).await?;` laid out as rustfmt lays it out:
/// on one line when the chain is short enough; the arguments one per line when the call is too
/// wide (the chain then follows the closing parenthesis at the margin); else the chain's links
/// on lines of their own, indented.
fn send_statement(binding: &str, request: &str, args: &[String]) -> String {
    const CHAIN: &str = ".send(client).await?";
    let call = format!("{request}::new({})", args.join(", "));
    let head = format!("let {binding} = ");
    let args_width = call.len() - request.len() - "::new()".len();
    if !args.is_empty() && (args_width > CALL_ARGS_WIDTH || head.len() + call.len() > WIDTH) {
        let args = args.join(",\n    ");
        return format!("{head}{request}::new(\n    {args},\n)\n.send(client)\n.await?;");
    }
    let one_line = format!("{head}{call}{CHAIN};");
    if call.len() + CHAIN.len() <= CHAIN_WIDTH && one_line.len() <= WIDTH {
        one_line
    } else {
        format!("{head}{call}\n    .send(client)\n    .await?;")
    }
}

/// `use krate::{names};`, wrapped as rustfmt would when it is too wide.
fn use_line(krate: &str, names: &BTreeSet<String>) -> String {
    let list: Vec<&str> = names.iter().map(String::as_str).collect();
    let one = format!("use {krate}::{{{}}};", list.join(", "));
    if one.len() <= WIDTH {
        return one;
    }
    let mut out = format!("use {krate}::{{\n");
    let mut line = String::new();
    for name in list {
        if !line.is_empty() && 4 + line.len() + 1 + name.len() + 1 > WIDTH {
            out.push_str(&format!("    {}\n", line.trim_end()));
            line.clear();
        }
        line.push_str(name);
        line.push_str(", ");
    }
    out.push_str(&format!("    {}\n}};", line.trim_end()));
    out
}

/// Makes up placeholder values, noting the crate-root names they use.
struct Values<'a> {
    api: &'a Api,
    names: &'a mut BTreeSet<String>,
}

impl Values<'_> {
    fn name(&mut self, name: &str) -> String {
        self.names.insert(name.to_owned());
        name.to_owned()
    }

    /// A field's value, boxed when the field is.
    fn field(&mut self, f: &Field, depth: usize) -> Option<String> {
        let value = self.value(&f.ty, &f.wire, depth)?;
        Some(if f.boxed { format!("Box::new({value})") } else { value })
    }

    /// Source for a value of `ty`: a string literal of the wire name, zero, the first enum
    /// variant, `new(..)` (with the field its enum choice asks for) or `default()` for structs,
    /// one-item lists.
    fn value(&mut self, ty: &TypeRef, wire: &str, depth: usize) -> Option<String> {
        if depth > MAX_DEPTH {
            return None;
        }
        Some(match ty {
            TypeRef::String => format!("{wire:?}"),
            TypeRef::Integer | TypeRef::Timestamp => "0".to_owned(),
            TypeRef::Number => "0.0".to_owned(),
            TypeRef::Bool => "false".to_owned(),
            TypeRef::Json => "serde_json::Value::Null".to_owned(),
            TypeRef::Binary => format!("{}::new(\"file.pdf\", Vec::new())", self.name("FileUpload")),
            TypeRef::Map(_) => "Default::default()".to_owned(),
            TypeRef::Expandable(_) => format!("{}::Id(\"id\".into())", self.name("Expandable")),
            TypeRef::List(_) => format!("{}::default()", self.name("List")),
            TypeRef::SearchList(_) => format!("{}::default()", self.name("SearchList")),
            TypeRef::Emptyable(_) => format!("{}::Empty", self.name("Emptyable")),
            TypeRef::Vec(item) => format!("vec![{}]", self.value(item, wire, depth + 1)?),
            TypeRef::Named(id) => {
                let def = &self.api.types[id.0];
                match &def.kind {
                    TypeKind::Enum { variants, unknown } => {
                        let name = self.name(&def.name);
                        match variants.first() {
                            Some(v) => format!("{name}::{}", v.name),
                            None => format!("{name}::{unknown}(String::new())"),
                        }
                    }
                    TypeKind::Union { variants, .. } => {
                        let v = variants.first()?;
                        let inner = self.value(&v.ty, wire, depth + 1)?;
                        let inner = if v.boxed { format!("Box::new({inner})") } else { inner };
                        format!("{}::{}({inner})", self.name(&def.name), v.name)
                    }
                    TypeKind::Struct { .. } => {
                        let fields = def.struct_fields();
                        if fields.iter().all(|f| !f.required) {
                            format!("{}::default()", self.name(&def.name))
                        } else if def.usage.sent {
                            let required = fields.iter().filter(|f| f.required);
                            let args =
                                required.clone().map(|f| self.field(f, depth + 1)).collect::<Option<Vec<_>>>()?;
                            let mut text = format!("{}::new({})", self.name(&def.name), args.join(", "));
                            let chosen: Vec<&Field> =
                                required.filter_map(|f| chosen_field(self.api, f, &fields)).collect();
                            for f in chosen {
                                let setter = crate::naming::struct_setter(&f.name);
                                text.push_str(&format!(".{setter}({})", self.field(f, depth + 1)?));
                            }
                            text
                        } else {
                            return None;
                        }
                    }
                }
            }
        })
    }
}

/// The optional field of `fields` that the example's value of the required enum `f` names.
fn chosen_field<'f>(api: &Api, f: &Field, fields: &[&'f Field]) -> Option<&'f Field> {
    let TypeRef::Named(id) = f.ty else { return None };
    let TypeKind::Enum { variants, .. } = &api.types[id.0].kind else { return None };
    let chosen = &variants.first()?.wire;
    fields.iter().copied().find(|other| !other.required && other.wire == *chosen)
}

#[cfg(test)]
mod tests {
    use super::{example, send_statement};

    const SPEC: &str = r#"
openapi: 3.0.0
info: {title: t, version: '2023-08-16'}
paths:
  /v1/holders:
    post:
      operationId: PostHolders
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [holder]
              properties:
                holder:
                  type: object
                  required: [type]
                  properties:
                    type: {type: string, enum: [account, customer]}
                    account: {type: string}
                    customer: {type: string}
      responses:
        '200':
          description: the holder
          content:
            application/json:
              schema:
                type: object
                required: [id, secret]
                properties:
                  id: {type: string}
                  secret: {type: string}
"#;

    fn the_example() -> String {
        let api =
            crate::Spec::parse("t.yaml", SPEC).and_then(|s| s.lower(&Default::default())).expect("the spec lowers");
        example(&api, &api.operations[0], "my_crate").expect("an example")
    }

    #[test]
    fn a_required_enum_sets_the_field_its_value_names() {
        let text = the_example();
        assert!(
            text.contains("CreateHolderHolder::new(CreateHolderHolderType::Account).account(\"account\")"),
            "{text}"
        );
        assert!(!text.contains(".customer("), "{text}");
    }

    #[test]
    fn it_starts_with_a_use_and_prints_the_id_not_the_response() {
        let text = the_example();
        assert!(text.contains("```no_run\nuse my_crate::{"), "{text}");
        assert!(text.contains(".id);"), "{text}");
        assert!(!text.contains(":?}"), "{text}");
    }

    /// The statement as rustfmt (the toolchain's, with its default widths) formats it.
    fn rustfmt(statement: &str) -> String {
        use std::io::Write;
        let source = format!("async fn f() {{\n{}\n}}\n", statement);
        let mut child = std::process::Command::new("rustfmt")
            .args(["--edition", "2024", "--config", "max_width=100,use_small_heuristics=Default"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("rustfmt runs (rustup component add rustfmt)");
        child.stdin.take().expect("stdin").write_all(source.as_bytes()).expect("written");
        let out = child.wait_with_output().expect("rustfmt ends");
        let text = String::from_utf8(out.stdout).expect("utf-8");
        let body: Vec<&str> = text.lines().skip(1).take_while(|l| *l != "}").collect();
        body.iter().map(|l| l.strip_prefix("    ").unwrap_or(l)).collect::<Vec<_>>().join("\n")
    }

    #[test]
    fn the_send_statement_is_laid_out_as_rustfmt_lays_it_out() {
        let cases: [(&str, &str, &[&str]); 5] = [
            ("session", "RetrieveSession", &["\"session\""]),
            ("account_owner", "ListAccountOwners", &["\"account\"", "\"ownership\""]),
            ("_response", "ListAccounts", &[]),
            (
                "session",
                "CreateSession",
                &[
                    "CreateSessionAccountHolder::new(AccountholderType::Account).account(\"account\")",
                    "vec![Permission::Balances]",
                ],
            ),
            ("transaction", "RetrieveTransaction", &["\"financial_connections_transaction_id\""]),
        ];
        for (binding, request, args) in cases {
            let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
            let ours = send_statement(binding, request, &args);
            assert_eq!(ours, rustfmt(&ours), "{request}");
        }
    }
}
