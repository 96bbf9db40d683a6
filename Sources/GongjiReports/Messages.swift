import GongjiDomain

/// The messages a person reads besides the pages (rejected rows' reasons,
/// console lines, errors) in Chinese: one table, keyed by each message's
/// English with `{}` for its values (`Phrase.key`), the values put in place
/// by number (`{0}`, `{1}`, ...: a language may order them otherwise, or
/// leave one out). English is the message as the code writes it
/// (docs/architecture.md, "Messages").
extension Words {
    /// `phrase` in this language: in English as written; in Chinese from
    /// the table, its values (and the phrases among them) put in place. A
    /// message the table lacks is said in English (`MessagesTests` checks
    /// that none is missing).
    public func say(_ phrase: Phrase) -> String {
        guard language == .zh else { return phrase.english }
        guard let template = Words.chinese[phrase.key] else { return phrase.said(say) }
        let values = phrase.values.map { value -> String in
            switch value {
            case let .text(text): text
            case let .phrase(inner): say(inner)
            }
        }
        if phrase.key == "{} and {}", values.count == 2 {
            // 13 和 32, 钱包转账和共济额度: a space where 和 meets a digit or a Latin letter, none beside Chinese.
            func spaced(_ character: Character?) -> String { character.map { $0.isASCII && ($0.isLetter || $0.isNumber) } == true ? " " : "" }
            return values[0] + spaced(values[0].last) + "和" + spaced(values[1].first) + values[1]
        }
        return Words.fill(template, values)
    }

    /// `template` with `{n}` replaced by `values[n]`.
    static func fill(_ template: String, _ values: [String]) -> String {
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            let after = rest[rest.index(after: open)...]
            if let close = after.firstIndex(of: "}"), let index = Int(after[..<close]), values.indices.contains(index) {
                out += values[index]
                rest = after[after.index(after: close)...]
            } else {
                out += "{"
                rest = after
            }
        }
        return out + rest
    }

    /// Every message in Chinese, by its English key.
    static let chinese: [String: String] = [
        "{}":
            "{0}",
        "{}: {}":
            "{0}：{1}",
        "{}:{}: {}":
            "{0}:{1}：{2}",
        "{}, {}":
            "{0}、{1}",
        "{} and {}":
            "{0}和{1}",  // spaced by `say` where it meets a digit
        "warning: {}":
            "警告：{0}",
        "line {}":
            "第 {0} 行",
        "line {} of {}":
            "{1} 第 {0} 行",
        "read {}, accepted {}, rejected {}":
            "读取 {0} 条，接受 {1} 条，拒绝 {2} 条",
        "read {}, accepted {}, rejected {}, skipped {}":
            "读取 {0} 条，接受 {1} 条，拒绝 {2} 条，跳过 {3} 条",
        "{}: {} regions":
            "{0}：{1} 个统筹区",
        "{}: {} bulletins":
            "{0}：{1} 份公报",
        "{}: what-if \"{}\"":
            "{0}：假设“{1}”",
        "{}: region {} is not in policy.yaml; its figures are not used":
            "{0}：统筹区 {1} 不在 policy.yaml 中，其数据不予使用",
        "{}: the text is not UTF-8: read as GB18030":
            "{0}：文本不是 UTF-8，已按 GB18030 读取",
        "{}: ignoring unknown column {}":
            "{0}：忽略未知列 {1}",
        "{}: ignoring unknown columns {}":
            "{0}：忽略未知列 {1}",
        "{} (did you mean {}?)":
            "{0}（是否应为 {1}？）",
        "{} that do not look like column names":
            "另有 {0} 列不像列名",
        "{} that does not look like column names":
            "另有 {0} 列不像列名",
        "{} more that do not look like column names":
            "另有 {0} 列不像列名",
        "{} more that does not look like column names":
            "另有 {0} 列不像列名",
        "wrote {} reports to {}; results stored in {}":
            "已将 {0} 份报告写入 {1}；结果已存入 {2}",
        "wrote {} reports to {}; findings stored in {}":
            "已将 {0} 份报告写入 {1}；稽核结果已存入 {2}",
        "wrote {} reports to {}; the store was not changed":
            "已将 {0} 份报告写入 {1}；未改动存储库",
        "{} rows rejected: see {}/rejects.csv":
            "拒收 {0} 条：见 {1}/rejects.csv",
        "{} rows rejected and --strict was given":
            "拒收 {0} 条，且指定了 --strict",
        "valid: nothing rejected; wrote {}/rejects.csv":
            "校验通过：无拒收；已写入 {0}/rejects.csv",
        "no inputs for {}: not settled, no reports for it (accounts carry over unchanged)":
            "{0} 没有输入：不结算，不出报告（账户余额原样结转）",
        "no changes against the earlier results":
            "与先前结果相比没有变化",
        "{} thresholds, {} claims and {} account-months changed: see {}/changes.md":
            "{0} 个门槛、{1} 笔结算和 {2} 个账户月有变化：见 {3}/changes.md",
        "the what-if changes nothing":
            "该假设不改变任何结果",
        "{} thresholds, {} claims and {} account-months would change: see {}/changes.md":
            "将有 {0} 个门槛、{1} 笔结算和 {2} 个账户月发生变化：见 {3}/changes.md",
        "{}: {} settlements replayed, {} findings":
            "{0}：重放 {1} 笔结算，发现 {2} 条问题",
        "wrote the statement of {}, {} months ({} to {}), as .md and .csv, to {}":
            "已写出 {0} 的对账单，共 {1} 个月（{2} 至 {3}），.md 与 .csv 各一份，位于 {4}",
        "{}: the file was empty: made a new store in it":
            "{0}：文件为空，已在其中新建存储库",
        "{}: put in place the reports of an interrupted run (its results were stored)":
            "{0}：已放置一次中断运行的报告（其结果已入库）",
        "{}: the reports of an interrupted run were left as they are: {}":
            "{0}：一次中断运行的报告保持原样：{1}",
        "{}: the reports of the run stored as number {} are gone (its staging folder was removed): run again to write them":
            "{0}：存储库中第 {1} 次运行的报告已不存在（其暂存文件夹已被删除）：请重新运行以生成",
        "{}: the reports of an interrupted run could not be put in place yet: {}":
            "{0}：一次中断运行的报告暂时无法放置：{1}",
        "{}: the reports are in place, but the store could not record it now ({}): the next gongji start records it":
            "{0}：报告已放置，但存储库暂时无法记录（{1}）：下次启动 gongji 时记录",
        "this is a debug build, many times slower on a city's data: build the release binary once (swift build -c release) and run .build/release/gongji":
            "这是调试版本，处理一个城市的数据要慢许多倍：请先构建发布版本（swift build -c release），再运行 .build/release/gongji",
        "{}: no settlement records to audit (settlements/*.csv, docs/audit.md)":
            "{0}：没有可稽核的结算记录（settlements/*.csv，见 docs/audit.md）",
        "{}: the month has claims in usage/ and settlement records in settlements/: a month is either settled from usage/ or audited from settlements/, not both":
            "{0}：该月在 usage/ 中有费用，在 settlements/ 中又有结算记录：一个月要么按 usage/ 结算，要么按 settlements/ 稽核，不能兼有",
        "{}: cannot read the file":
            "{0}：无法读取文件",
        "{}: cannot make a folder for the month's claims: {}":
            "{0}：无法为当月费用建立文件夹：{1}",
        "{}: cannot write the month's claims: {}":
            "{0}：无法写入当月费用：{1}",
        "{}: cannot read the claims of {} back: {}":
            "{0}：无法读回 {1} 的费用：{2}",
        "{}: the claims of {} came back damaged":
            "{0}：读回的 {1} 费用已损坏",
        "{}: cannot make a file for the credits of the months to come: {}":
            "{0}：无法为之后各月的划入额建立暂存文件：{1}",
        "{}: cannot keep the credits of {} until it settles: {}":
            "{0}：无法暂存 {1} 的划入额至该月结算：{2}",
        "{}: no credits of {} were kept":
            "{0}：未暂存 {1} 的划入额",
        "{}: cannot read the credits of {} back: {}":
            "{0}：无法读回 {1} 的划入额：{2}",
        "{}: the credits of {} came back short ({} of {} bytes)":
            "{0}：读回的 {1} 划入额不完整（{2} / {3} 字节）",
        "{}: the credits of {} came back damaged":
            "{0}：读回的 {1} 划入额已损坏",
        "persons.csv: missing: contribution rosters need the persons they name":
            "persons.csv：缺少该文件：缴费名册需要其中列出的参保人",
        "persons.csv: missing: opening balances need the persons they name":
            "persons.csv：缺少该文件：期初余额需要其中列出的参保人",
        "{}: not read":
            "{0}：未读取",
        "the family-sharing inputs were not read":
            "未读取家庭共济输入",
        "{}: no such store or folder (give the store of the earlier run, e.g. .gongji/gongji.sqlite)":
            "{0}：没有这个存储库或文件夹（请给出先前运行的存储库，如 .gongji/gongji.sqlite）",
        "{}: a folder without gongji.sqlite (give the store of the earlier run)":
            "{0}：文件夹中没有 gongji.sqlite（请给出先前运行的存储库）",
        "{}: the store holds no results to compare with: run `gongji run` first":
            "{0}：存储库中没有可比较的结果：请先运行 `gongji run`",
        "{}; the results are stored: the next gongji start with this out folder or store puts the reports in place":
            "{0}；结果已入库：下次以此输出文件夹或存储库启动 gongji 时会放置报告",
        "{}: cannot write the workbook: {}":
            "{0}：无法写入工作簿：{1}",
        "manifest.json: cannot encode: {}":
            "manifest.json：无法编码：{0}",
        "{}: cannot read the file again to keep it in the store":
            "{0}：无法再次读取该文件以存入存储库",
        "{}: the file changed while gongji read it (SHA-256 {} when read, {} when stored): run again once it is complete":
            "{0}：gongji 读取期间文件发生了变化（读取时 SHA-256 为 {1}，入库时为 {2}）：请在文件完整后重新运行",
        "{}: the store could not be written, nothing in it changed: {}":
            "{0}：无法写入存储库，其内容未作任何改动：{1}",
        "--person {}: not an 18-character ID (or a 15-digit legacy one)":
            "--person {0}：不是 18 位身份证号（或 15 位旧号）",
        "{} {}: a month is written YYYY-MM":
            "{0} {1}：月份应写作 YYYY-MM",
        "--from {} is after --to {}":
            "--from {0} 晚于 --to {1}",
        "{}: cannot read the store: {}":
            "{0}：无法读取存储库：{1}",
        "the months asked":
            "所查月份",
        "province {}":
            "省份 {0}",
        "{}: not in the store":
            "{0}：不在存储库中",
        "{}: not in the store in {}":
            "{0}：存储库中没有其{1}的记录",
        "missing: every data folder needs a policy.yaml":
            "缺少该文件：每个数据文件夹都需要 policy.yaml",
        "{}: no such file":
            "{0}：没有这个文件",
        "--region {} is not in --province {}":
            "--region {0} 不在 --province {1} 之内",
        "policy.yaml: no region {}":
            "policy.yaml：没有统筹区 {0}",
        "no such data folder":
            "没有这个数据文件夹",
        "is a file: --data names the folder that holds policy.yaml, persons.csv, ...":
            "是一个文件：--data 应指向存放 policy.yaml、persons.csv 等文件的文件夹",
        "{}: cannot write: {}":
            "{0}：无法写入：{1}",
        "cannot create the folder":
            "无法创建文件夹",
        "cannot put the file in place ({})":
            "无法将文件放置到位（{0}）",
        "it is a file, not a folder for reports":
            "这是一个文件，不是存放报告的文件夹",
        "cannot create the folder for reports":
            "无法创建存放报告的文件夹",
        "policy.yaml's regions":
            "policy.yaml 的统筹区",
        "a province is the first two digits of its region codes (44, or 13,32)":
            "省份是其统筹区代码的前两位（如 44，或 13,32）",
        "a province is the first two digits of its region codes (44, or 13,32); {} are in {}":
            "省份是其统筹区代码的前两位（如 44，或 13,32）；{0}属于 {1}",
        "--province {}: {}":
            "--province {0}：{1}",
        "--province {}: {} is not a province of {}, which are in {}":
            "--province {0}：{1} 不是{2}的省份，{2}属于 {3}",
        "a wallet transfer":
            "一笔钱包转账",
        "wallet transfers":
            "钱包转账",
        "a quota":
            "一项共济额度",
        "quotas":
            "共济额度",
        "a pot member":
            "一名家庭共济账户成员",
        "pot members":
            "家庭共济账户成员",
        "a claim":
            "一笔结算",
        "claims":
            "结算",
        "a mutual-aid payment":
            "一笔共济支付",
        "mutual-aid payments":
            "共济支付",
        "a roster row":
            "一条名册记录",
        "roster rows":
            "名册记录",
        "{} ({})":
            "{0}（{1}）",
        "{} and {} more":
            "{0} 等另 {1} 项",
        "--province {} leaves out {}, tied to it by {} in {}; run --province {}":
            "--province {0} 未包含 {1}：{2}（{3}）把它与所选省份相连；请运行 --province {4}",
        "--province {} leaves out {}, tied to them by {} in {}; run --province {}":
            "--province {0} 未包含 {1}：{2}（{3}）把它们与所选省份相连；请运行 --province {4}",
        "the text is not valid UTF-8 (for a GB18030 file, pass --encoding gb18030)":
            "文本不是有效的 UTF-8（GB18030 文件请加 --encoding gb18030）",
        "a quoted field opened on line {} is never closed":
            "第 {0} 行开始的引号字段没有闭合",
        "a quote inside an unquoted field (quote the whole field and double the quote)":
            "未加引号的字段中含有引号（请给整个字段加引号，并把其中的引号写两遍）",
        "text after a closing quote":
            "闭合引号之后还有文字",
        "of a province not run":
            "属于未运行的省份",
        "cannot read the file":
            "无法读取文件",
        "cannot open the file":
            "无法打开文件",
        "cannot read the header":
            "无法读取表头",
        "the file is empty: a header row is required":
            "文件为空：需要表头行",
        "the header holds a line break that is a CR alone: the file's lines end in CR (an old Mac format); save it with LF or CRLF line ends":
            "表头中有单独的 CR 换行：文件以 CR 结束每行（旧式 Mac 格式）；请以 LF 或 CRLF 换行另存",
        "column '{}' appears twice in the header":
            "表头中列“{0}”出现了两次",
        "fields {} and {} of the header are the same, and not a column name":
            "表头第 {0} 和第 {1} 个字段相同，且不是列名",
        "missing required column {}":
            "缺少必需的列 {0}",
        "missing required columns {}":
            "缺少必需的列 {0}",
        "the row has {} fields; the header has {}":
            "该行有 {0} 个字段，表头有 {1} 个",
        "read error":
            "读取出错",
        "every row has {} fields but the header has {}: check the header (a column missing or one too many)":
            "每行都有 {0} 个字段，而表头有 {1} 个：请检查表头（少了一列或多了一列）",
        "format the column as text, or save as CSV UTF-8 without reformatting":
            "把该列设为文本格式，或另存为“CSV UTF-8”且不改动格式",
        "'{}' has a thousands separator, as Excel or WPS writes an amount when the file was opened and saved there: write {}; {}":
            "“{0}”带千位分隔符，文件多半在 Excel 或 WPS 中打开并保存过，金额被改写成了这样：应写作 {1}；{2}",
        "'{}' is a date as Excel or WPS shows it, written so when the file was opened and saved there: write {}; {}":
            "“{0}”是 Excel 或 WPS 显示日期的样式，文件多半在其中打开并保存过：应写作 {1}；{2}",
        "'{}' is a number in scientific notation, as Excel or WPS writes a long ID when the file was opened and saved there, keeping 15 digits at most: the ID is lost; take the file again from its source and {}":
            "“{0}”是科学计数法，文件多半在 Excel 或 WPS 中打开并保存过，长号码被改写成这样且至多保留 15 位：证件号已丢失；请从来源重新取得文件，并{1}",
        "{} is required":
            "{0} 为必填项",
        "'{}' is not {}":
            "“{0}”不是{1}",
        "a 6-digit region code":
            "六位统筹区代码",
        "a month YYYY-MM":
            "月份（YYYY-MM 格式）",
        "a date YYYY-MM-DD":
            "日期（YYYY-MM-DD 格式）",
        "an amount in yuan with at most 2 decimals":
            "以元为单位、至多 2 位小数的金额",
        "{} must be after {}":
            "{0} 必须晚于 {1}",
        "'{}': the time must be local (China Standard Time), written without an offset or with +08:00":
            "“{0}”：时间须为北京时间，不带时区或写 +08:00",
        "'{}' is not a time YYYY-MM-DD HH:MM[:SS]":
            "“{0}”不是 YYYY-MM-DD HH:MM[:SS] 格式的时间",
        "the amount must be above 0":
            "金额必须大于 0",
        "'{}' is not true or false":
            "“{0}”不是 true 或 false",
        "'{}' is not a whole number from 1 to 999999999":
            "“{0}”不是 1 到 999999999 之间的整数",
        "'{}' is not one of: {}":
            "“{0}”不在可选值之列：{1}",
        "an ID has 18 characters (or 15 digits), not {}":
            "身份证号应为 18 位（或 15 位数字），而不是 {0} 位",
        "an ID has only digits and a final check character":
            "身份证号只由数字和末位校验码组成",
        "an ID is written in ASCII digits (0-9, and X): this one has a full-width digit or another character":
            "身份证号应以半角数字（0-9 及 X）书写：此号码含全角数字或其他字符",
        "an ID is written without separators: this one has -, a space, a dot or a slash between its digits":
            "身份证号不应含分隔符：此号码的数字之间有 -、空格、点或斜杠",
        "the birth date in the ID is not a real date":
            "身份证号中的出生日期不是有效日期",
        "the check character is wrong (expected {})":
            "校验码错误（应为 {0}）",
        "{} is outside the months this run takes as plausible, {} .. {} (from the policy's first rule to a year after today)":
            "{0} 不在本次运行认可的月份范围 {1} .. {2} 之内（自政策的第一条规则起，至今天之后一年）",
        "{} is outside the dates this run takes as plausible, {} .. {} (from the policy's first rule to a year after today)":
            "{0} 不在本次运行认可的日期范围 {1} .. {2} 之内（自政策的第一条规则起，至今天之后一年）",
        "no header read":
            "未读取表头",
        "region {} is not in policy.yaml":
            "统筹区 {0} 不在 policy.yaml 中",
        "person is not in persons.csv":
            "参保人不在 persons.csv 中",
        "an amount cannot be negative":
            "金额不能为负",
        "a balance cannot be negative":
            "余额不能为负",
        "a base cannot be negative":
            "缴费基数不能为负",
        "{} appears on an earlier row":
            "{0} 已在前面的行中出现",
        "{} appears on {}, which was rejected":
            "{0} 已在{1}出现，该行已被拒收",
        "person_id appears on an earlier row":
            "person_id 已在前面的行中出现",
        "person and month appear on an earlier row":
            "该参保人该月已在前面的行中出现",
        "person and month appear on {}, which was rejected":
            "该参保人该月已在{0}出现，该行已被拒收",
        "missing column base, which a row with status in_service needs":
            "缺少 base 列，status 为 in_service 的行需要该列",
        "base is required when status is in_service":
            "status 为 in_service 时 base 为必填项",
        "person is in the resident scheme, which has no individual account":
            "参保人参加的是居民医保，没有个人账户",
        "region {} has no credit rule in force in {}":
            "统筹区 {0} 在 {1} 没有生效的划入规则",
        "the credit rule has no retiree amount for age {}":
            "划入规则中没有 {0} 岁退休人员的划入额",
        "the birth date in the ID is after the first day of the month":
            "身份证号中的出生日期晚于当月第一天",
        "a person cannot authorize themselves":
            "不能授权给本人",
        "a person cannot send to themselves":
            "不能转账给本人",
        "a person cannot share with themselves":
            "不能与本人共享",
        "accepted_at is before sent_at":
            "accepted_at 早于 sent_at",
        "the person is a member of pot {} on line {}, which was rejected":
            "该人已在第 {1} 行作为家庭共济账户 {0} 的成员出现，该行已被拒收",
        "the person is a member of pot {} on an earlier row":
            "该人已在前面的行中作为家庭共济账户 {0} 的成员出现",
        "pot {} is not in pots.csv":
            "家庭共济账户 {0} 不在 pots.csv 中",
        "the creator is a member of their pot without a row":
            "创建人无需单列一行即为其家庭共济账户的成员",
        "as_of must be the first day of a month":
            "as_of 必须是某月的第一天",
        "an opening balance for this person and day appears on line {}, which was rejected":
            "该参保人该日的期初余额已在第 {0} 行出现，该行已被拒收",
        "an opening balance for this person and day appears on an earlier row":
            "该参保人该日的期初余额已在前面的行中出现",
        "med_type {} has no default category (docs/audit.md): give `category`":
            "med_type {0} 没有默认类别（见 docs/audit.md）：请填写 `category`",
        "category is empty and no med_type gives one":
            "category 为空，且 med_type 也不能给出类别",
        "'{}' is not 0 or 1":
            "“{0}”不是 0 或 1",
        "a reversal (refd_setl_flag 1) needs init_setl_id":
            "冲销记录（refd_setl_flag 为 1）需要 init_setl_id",
        "a reversal carries its original's amounts negated: {} cannot be above 0":
            "冲销记录的金额是原结算金额的相反数：{0} 不能大于 0",
        "{} cannot be negative (only a reversal's are)":
            "{0} 不能为负（只有冲销记录的才为负）",
        "medfee_sumamt {} is less than what the fund, the accounts and cash paid ({}): the sums do not add up":
            "medfee_sumamt {0} 小于基金、账户和现金支付之和（{1}）：金额对不上",
        "an amount of 0 pays nothing":
            "金额为 0，未支付任何款项",
        "this gongji reads policy format 1":
            "本版 gongji 只读取第 1 版政策格式",
        "med_types.{}: a med_type code is 1-12 letters or digits":
            "med_types.{0}：med_type 代码为 1-12 位字母或数字",
        "regions.{}: a region key must be a 6-digit region code":
            "regions.{0}：统筹区的键必须是 6 位统筹区代码",
        "no regions":
            "没有统筹区",
        "regions.{}: not a region of policy.yaml":
            "regions.{0}：不是 policy.yaml 中的统筹区",
        "not UTF-8 text (save policy.yaml as UTF-8)":
            "不是 UTF-8 文本（请将 policy.yaml 另存为 UTF-8）",
        "the file is empty":
            "文件为空",
        "not valid YAML":
            "不是有效的 YAML",
        "YAML syntax: {}":
            "YAML 语法错误：{0}",
        "YAML: {}":
            "YAML：{0}",
        "duplicate key {}":
            "重复的键 {0}",
        "missing key 'from'":
            "缺少键“from”",
        "'until' {} is before 'from' {}":
            "“until” {0} 早于“from” {1}",
        "two entries start on {}":
            "有两个条目都从 {0} 开始",
        "missing key 'rate'":
            "缺少键“rate”",
        "'{}' has no meaning with rate: none":
            "rate 为 none 时“{0}”没有意义",
        "'{}' is not a day MM-DD":
            "“{0}”不是 MM-DD 格式的日子",
        "missing key 'personal_rate'":
            "缺少键“personal_rate”",
        "base_floor is above base_cap":
            "base_floor 高于 base_cap",
        "incomplete band":
            "档次不完整",
        "the first band must start at from_age 0":
            "第一档必须从 from_age 0 开始",
        "bands must be in ascending from_age ({} after {})":
            "各档须按 from_age 升序排列（{0} 在 {1} 之后）",
        "missing key 'model'":
            "缺少键“model”",
        "transfer_max must be above 0":
            "transfer_max 必须大于 0",
        "'{}' is not a span of the day HH:MM-HH:MM (or none)":
            "“{0}”不是 HH:MM-HH:MM 格式的时段（或 none）",
        "'{}' is not a time of day HH:MM":
            "“{0}”不是 HH:MM 格式的时刻",
        "missing key 'floor' or 'deposits_per_month'":
            "缺少键“floor”或“deposits_per_month”",
        "unknown {} '{}' (expected one of: {})":
            "未知的 {0}“{1}”（应为以下之一：{2}）",
        "'{}' is listed twice":
            "“{0}”列出了两次",
        "missing key 'relations' or 'categories'":
            "缺少键“relations”或“categories”",
        "expected a mapping of keys":
            "应为键值映射",
        "{}: unknown key '{}' (expected one of: {})":
            "{0}：未知的键“{1}”（应为以下之一：{2}）",
        "missing key '{}'":
            "缺少键“{0}”",
        "expected a mapping":
            "应为映射",
        "expected a list":
            "应为列表",
        "expected a single value":
            "应为单个值",
        "expected a non-empty value":
            "应为非空值",
        "a value of {} characters (at most {})":
            "值有 {0} 个字符（至多 {1} 个）",
        "a value with a control character":
            "值中含有控制字符",
        "'{}' is not a date YYYY-MM-DD":
            "“{0}”不是 YYYY-MM-DD 格式的日期",
        "{} is not a plausible date for a rule ({} .. {})":
            "{0} 不是规则的合理日期（{1} .. {2}）",
        "'{}' is not a rate (write a decimal such as 0.008 or a percentage such as 5%)":
            "“{0}”不是比例（请写小数如 0.008，或百分数如 5%）",
        "{} is above {}":
            "{0} 高于 {1}",
        "'{}' is not an amount in yuan with at most 2 decimals":
            "“{0}”不是以元为单位、至多 2 位小数的金额",
        "{} yuan is above 1000000.00":
            "{0} 元高于 1000000.00",
        "'{}' is not a whole number from {} to {}":
            "“{0}”不是 {1} 到 {2} 之间的整数",
        "malformed XML":
            "XML 格式错误",
        "malformed XML: {}":
            "XML 格式错误：{0}",
        "a DOCTYPE is not allowed in a wage bulletin (no DTDs, no entities)":
            "工资公报中不允许 DOCTYPE（不允许 DTD 和实体）",
        "entity references are not allowed in a wage bulletin":
            "工资公报中不允许实体引用",
        "unexpected text '{}'":
            "意外的文本“{0}”",
        "element <{}> has no namespace; expected xmlns=\"{}\"":
            "元素 <{0}> 没有命名空间；应为 xmlns=\"{1}\"",
        "unknown namespace '{}' on <{}>; expected '{}'":
            "<{1}> 上的命名空间“{0}”未知；应为“{2}”",
        "unexpected element <{}> inside <{}>":
            "<{1}> 中有意外的元素 <{0}>",
        "unexpected element <{}>":
            "意外的元素 <{0}>",
        "bulletin {} {} has no <averageWage>":
            "公报 {0} {1} 没有 <averageWage>",
        "no <wageBulletins> element":
            "没有 <wageBulletins> 元素",
        "unknown namespace '{}' on attribute '{}' of <{}>":
            "<{2}> 的属性“{1}”上的命名空间“{0}”未知",
        "unknown attribute '{}' on <{}>":
            "<{1}> 上有未知属性“{0}”",
        "<{}> is missing the attribute '{}'":
            "<{0}> 缺少属性“{1}”",
        "region '{}' is not a 6-digit region code":
            "region“{0}”不是 6 位统筹区代码",
        "statYear '{}' is not a 4-digit year":
            "statYear“{0}”不是 4 位年份",
        "issued '{}' is not a date YYYY-MM-DD":
            "issued“{0}”不是 YYYY-MM-DD 格式的日期",
        "revision '{}' is not a whole number from 1":
            "revision“{0}”不是从 1 起的整数",
        "<averageWage> has an empty series":
            "<averageWage> 的 series 为空",
        "{} wage '{}' is not a positive amount in yuan with at most 2 decimals":
            "{0} 工资“{1}”不是以元为单位、至多 2 位小数的正数金额",
        "<averageWage series=\"{}\"> needs a monthly or an annual figure":
            "<averageWage series=\"{0}\"> 需要月平均或年平均数",
        "series '{}' appears twice in one bulletin":
            "series“{0}”在同一份公报中出现了两次",
        "declared {} but the bytes are not: they are UTF-8 (write encoding=\"UTF-8\" in the XML declaration)":
            "声明为 {0}，但字节并非如此：它们是 UTF-8（请在 XML 声明中写 encoding=\"UTF-8\"）",
        "declared {}, an encoding gongji cannot read: save the file as UTF-8":
            "声明为 {0}，gongji 无法读取此编码：请将文件另存为 UTF-8",
        "declared {} but the bytes are not (the byte at offset {} is not {})":
            "声明为 {0}，但字节并非如此（偏移 {1} 处的字节不是 {2}）",
        "declared {} but the bytes are not: the declaration itself is not written in it":
            "声明为 {0}，但字节并非如此：声明本身就不是用它写的",
        "revision {} of {} statYear {} series '{}' is given twice (first at {}); raise the revision of the newer bulletin":
            "{1} statYear {2} series“{3}”的第 {0} 版给出了两次（第一次在 {4}）；请提高较新公报的 revision",
    ]
}
