// SPDX-License-Identifier: ISC
// i18n.js: every string of the console, in English and in Chinese (zh-CN),
// and the user's language: localStorage first, then the browser's.
const KEY = "delistd.lang";

const catalogue = {
	en: {
		"app.title": "delistd console",
		"login.title": "Sign in",
		"login.name": "User name",
		"login.password": "Password",
		"login.submit": "Sign in",
		"login.bad": "Wrong user name or password.",
		"login.locked": "Too many failed attempts: try again in 15 minutes.",
		"login.failed": "Sign-in failed: {0}",
		"logout": "Sign out",
		"who": "{0} ({1})",
		"role.viewer": "viewer", "role.operator": "operator", "role.admin": "admin",
		"board.title": "Open cases",
		"board.counts": "{0} open · {1} overdue · {2} mine · {3} not acknowledged",
		"board.shown": "{0} of {1} shown",
		"board.empty": "No open case matches.",
		"board.live": "Live",
		"board.offline": "Reconnecting…",
		"filter.shop": "Shop", "filter.state": "State", "filter.reason": "Reason",
		"filter.assignee": "Assignee", "filter.mine": "Mine only",
		"filter.overdue": "Overdue only", "filter.all": "All",
		"filter.nobody": "Nobody",
		"col.case": "Case", "col.product": "Product", "col.reason": "Reason",
		"col.state": "State", "col.age": "Age", "col.due": "Next deadline",
		"col.next": "What to do next", "col.assignee": "Assignee",
		"col.ack": "Acknowledged",
		"page.prev": "Previous", "page.next": "Next", "page.of": "Page {0} of {1}",
		"overdue": "Overdue",
		"yes": "Yes", "no": "No", "none": "—", "untitled": "(no title)",
		"age.d": "{0} d", "age.h": "{0} h", "age.m": "{0} min",
		"due.feedback": "Platform feedback due", "due.escalate": "Escalate by",
		"due.stall": "Act by",
		"tz.shanghai": "Beijing time",
		"state.open": "Open", "state.rectifying": "Rectifying",
		"state.appealed": "Appealed", "state.approved": "Approved",
		"state.reinstated": "Reinstated", "state.synced": "Synced",
		"state.manual_review": "Manual review", "state.abandoned": "Abandoned",
		"state.closed": "Closed",
		"next.open": "Find the cause, rectify the listing, then appeal",
		"next.rectifying": "Finish the rectification and submit the appeal",
		"next.appealed": "Wait for the platform; chase it if feedback is late",
		"next.approved": "Check that the listing is back on sale",
		"next.reinstated": "Wait for the sync to finish",
		"next.manual_review": "Wait for the manual review and record its decision",
		"next.unclassified": "Record the reason of the delisting first",
		"next.overdue": "Overdue: act now",
		"reason.ip_infringement": "IP infringement",
		"reason.category_misplaced": "Wrong category",
		"reason.false_info": "False information",
		"reason.prohibited_words": "Prohibited words",
		"reason.unauthorized_media": "Unauthorised images/video",
		"reason.missing_certification": "Missing certification",
		"reason.not_as_described": "Not as described",
		"reason.duplicate_listing": "Duplicate listing",
		"reason.tro": "TRO (US court order)",
		"reason.spot_check": "Spot check", "reason.other": "Other",
		"reason.unclassified": "Not classified yet",
		"case.title": "Case {0}",
		"case.back": "← All open cases",
		"case.deadlines": "Deadlines", "case.opened": "Opened",
		"case.zone": "Shop time zone", "case.rule": "Rule",
		"case.trail": "Trail", "case.appeals": "Appeals",
		"case.appeal": "Appeal {0} · platform Case ID {1}",
		"case.submitted": "Submitted", "case.decision": "Decision",
		"case.pending": "Pending", "case.approved": "Approved",
		"case.rejected": "Rejected: {0}", "case.statement": "Statement",
		"case.materials": "Materials", "case.evidence": "Evidence",
		"case.documents": "Documents", "case.nothing": "None yet.",
		"case.ack.by": "by {0}, {1}",
		"case.ack.not": "Not acknowledged",
		"case.notfound": "There is no such case.",
		"act.title": "Actions",
		"act.note": "Add a note", "act.note.text": "Note",
		"act.note.submit": "Add note",
		"act.ack": "Acknowledge", "act.ack.for": "For (e.g. 4h; empty: until it changes state)",
		"act.ack.comment": "Comment",
		"act.assign": "Assign", "act.assign.user": "User (empty: nobody)",
		"act.check": "Check an appeal before sending it",
		"act.check.statement": "Statement",
		"act.check.submit": "Run the preflight",
		"act.check.ok": "No finding would get it rejected.",
		"act.done": "Done.",
		"act.failed": "Refused: {0}",
		"sev.error": "Error", "sev.warning": "Warning",
		"err.network": "The daemon does not answer.",
	},
	"zh-CN": {
		"app.title": "delistd 控制台",
		"login.title": "登录",
		"login.name": "用户名",
		"login.password": "密码",
		"login.submit": "登录",
		"login.bad": "用户名或密码错误。",
		"login.locked": "失败次数过多，请 15 分钟后再试。",
		"login.failed": "登录失败：{0}",
		"logout": "退出登录",
		"who": "{0}（{1}）",
		"role.viewer": "只读", "role.operator": "运营", "role.admin": "管理员",
		"board.title": "未结下架工单",
		"board.counts": "未结 {0} 单 · 已超时 {1} 单 · 我负责 {2} 单 · 未认领 {3} 单",
		"board.shown": "显示 {0} / {1} 单",
		"board.empty": "没有符合条件的未结工单。",
		"board.live": "实时更新中",
		"board.offline": "正在重连…",
		"filter.shop": "店铺", "filter.state": "状态", "filter.reason": "下架原因",
		"filter.assignee": "负责人", "filter.mine": "只看我的",
		"filter.overdue": "只看超时", "filter.all": "全部",
		"filter.nobody": "未分配",
		"col.case": "工单", "col.product": "商品", "col.reason": "下架原因",
		"col.state": "状态", "col.age": "已过时间", "col.due": "最近截止时间",
		"col.next": "下一步", "col.assignee": "负责人", "col.ack": "已认领",
		"page.prev": "上一页", "page.next": "下一页", "page.of": "第 {0} / {1} 页",
		"overdue": "已超时",
		"yes": "是", "no": "否", "none": "—", "untitled": "（无标题）",
		"age.d": "{0} 天", "age.h": "{0} 小时", "age.m": "{0} 分钟",
		"due.feedback": "平台反馈截止", "due.escalate": "升级处理截止",
		"due.stall": "处理截止",
		"tz.shanghai": "北京时间",
		"state.open": "待处理", "state.rectifying": "整改中",
		"state.appealed": "申诉中", "state.approved": "申诉通过",
		"state.reinstated": "已恢复上架", "state.synced": "已同步",
		"state.manual_review": "人工复审中", "state.abandoned": "已放弃",
		"state.closed": "已结案",
		"next.open": "查明下架原因，整改商品后提交申诉",
		"next.rectifying": "完成整改，提交申诉",
		"next.appealed": "等平台审核结果，超时未反馈要及时催",
		"next.approved": "确认商品已重新上架",
		"next.reinstated": "等待同步完成",
		"next.manual_review": "等待人工复审结果，出结果后及时登记",
		"next.unclassified": "先登记下架原因",
		"next.overdue": "已超时，请马上处理",
		"reason.ip_infringement": "知识产权侵权",
		"reason.category_misplaced": "类目错放",
		"reason.false_info": "信息不实",
		"reason.prohibited_words": "违禁词/极限词",
		"reason.unauthorized_media": "图片/视频盗用",
		"reason.missing_certification": "缺少认证（CE/FCC 等）",
		"reason.not_as_described": "货不对板",
		"reason.duplicate_listing": "重复铺货",
		"reason.tro": "TRO（美国临时禁令）",
		"reason.spot_check": "平台抽检", "reason.other": "其他",
		"reason.unclassified": "原因待登记",
		"case.title": "工单 {0}",
		"case.back": "← 返回全部未结工单",
		"case.deadlines": "截止时间", "case.opened": "下架时间",
		"case.zone": "店铺时区", "case.rule": "违规规则",
		"case.trail": "处理记录", "case.appeals": "申诉记录",
		"case.appeal": "第 {0} 次申诉 · 平台 Case ID {1}",
		"case.submitted": "提交时间", "case.decision": "审核结果",
		"case.pending": "审核中", "case.approved": "已通过",
		"case.rejected": "已驳回：{0}", "case.statement": "申诉说明",
		"case.materials": "申诉材料", "case.evidence": "存证",
		"case.documents": "资质文件", "case.nothing": "暂无。",
		"case.ack.by": "{0}，{1}",
		"case.ack.not": "未认领",
		"case.notfound": "没有这个工单。",
		"act.title": "操作",
		"act.note": "添加备注", "act.note.text": "备注",
		"act.note.submit": "保存备注",
		"act.ack": "认领", "act.ack.for": "认领时长（如 4h；留空则到状态变化为止）",
		"act.ack.comment": "说明",
		"act.assign": "分配负责人", "act.assign.user": "用户名（留空则取消分配）",
		"act.check": "提交申诉前先预检",
		"act.check.statement": "申诉说明",
		"act.check.submit": "开始预检",
		"act.check.ok": "没有会导致驳回的问题。",
		"act.done": "已完成。",
		"act.failed": "操作被拒绝：{0}",
		"sev.error": "错误", "sev.warning": "提醒",
		"err.network": "连接不上 delistd。",
	},
};

export const languages = [["zh-CN", "中文"], ["en", "English"]];

function pick() {
	const saved = localStorage.getItem(KEY);
	if (saved && catalogue[saved])
		return saved;
	const nav = navigator.languages || [navigator.language || "en"];
	for (const l of nav) {
		if (/^zh\b/i.test(l))
			return "zh-CN";
		if (/^en\b/i.test(l))
			return "en";
	}
	return "en";
}

export let lang = pick();

export function setLang(l) {
	if (!catalogue[l])
		return;
	lang = l;
	localStorage.setItem(KEY, l);
}

// t("key", a, b): the string in the current language, {0} {1} filled in;
// a name the catalogue lacks ("reason.new_one") as it is ("new_one").
export function t(key, ...args) {
	const s = catalogue[lang][key] ?? catalogue.en[key] ??
	    key.slice(key.indexOf(".") + 1);
	return s.replace(/\{(\d)\}/g, (_, i) => String(args[+i] ?? ""));
}

// The static page's texts: every element with data-i18n.
export function translatePage() {
	document.documentElement.lang = lang;
	for (const e of document.querySelectorAll("[data-i18n]"))
		e.textContent = t(e.dataset.i18n);
	for (const e of document.querySelectorAll("[data-i18n-placeholder]"))
		e.placeholder = t(e.dataset.i18nPlaceholder);
}
