// Names for the generated province: cities (level 1), their bureaus and districts (level 2), and
// sections or subdistricts (level 3). Fictional places; bilingual like every department.

const CITIES: [string, string][] = [
	['东湖', 'Donghu'],
	['青山', 'Qingshan'],
	['临江', 'Linjiang'],
	['北岭', 'Beiling'],
	['南川', 'Nanchuan'],
	['西陵', 'Xiling'],
	['云台', 'Yuntai'],
	['石门', 'Shimen'],
	['白沙', 'Baisha'],
	['金水', 'Jinshui'],
	['长乐', 'Changle'],
	['安平', 'Anping'],
	['清河', 'Qinghe'],
	['松原', 'Songyuan'],
	['枫桥', 'Fengqiao'],
	['柳城', 'Liucheng'],
	['望海', 'Wanghai'],
	['丰宁', 'Fengning'],
	['永和', 'Yonghe'],
	['宁远', 'Ningyuan'],
	['明德', 'Mingde'],
	['平川', 'Pingchuan'],
	['鹤鸣', 'Heming'],
	['瑞泉', 'Ruiquan']
];

const BUREAUS: [string, string][] = [
	['政务服务管理局', 'Government Service Bureau'],
	['大数据管理局', 'Big Data Bureau'],
	['12345热线服务中心', '12345 Hotline Centre'],
	['人力资源和社会保障局', 'Human Resources and Social Security Bureau'],
	['公安局', 'Public Security Bureau'],
	['市场监督管理局', 'Market Regulation Bureau'],
	['医疗保障局', 'Medical Insurance Bureau'],
	['教育局', 'Education Bureau'],
	['卫生健康委员会', 'Health Commission'],
	['住房和城乡建设局', 'Housing and Urban-Rural Development Bureau'],
	['民政局', 'Civil Affairs Bureau'],
	['交通运输局', 'Transport Bureau'],
	['生态环境局', 'Ecology and Environment Bureau'],
	['财政局', 'Finance Bureau']
];

const SECTIONS: [string, string][] = [
	['办公室', 'General Office'],
	['综合窗口科', 'One-Window Service Section'],
	['审批服务科', 'Approval Services Section'],
	['数据资源科', 'Data Resources Section'],
	['网络安全科', 'Cybersecurity Section'],
	['受理科', 'Intake Section'],
	['督办科', 'Follow-up Section'],
	['政策法规科', 'Policy and Regulation Section'],
	['信息宣传科', 'Public Information Section'],
	['便民服务站', 'Community Service Station']
];

const NUMERALS = '一二三四五六七八九十';
const zhNumber = (n: number) => (n <= 10 ? NUMERALS[n - 1] : String(n));

export function cityName(i: number): { zh: string; en: string } {
	const [zh, en] = CITIES[i % CITIES.length];
	const round = Math.floor(i / CITIES.length);
	return round === 0
		? { zh: `${zh}市人民政府`, en: `${en} City Government` }
		: { zh: `${zh}${round + 1}市人民政府`, en: `${en} ${round + 1} City Government` };
}

/** Level 2: the first units of a city are its bureaus, the rest its districts and counties. */
export function unitName(city: number, i: number): { zh: string; en: string; district: boolean } {
	const [cityZh, cityEn] = CITIES[city % CITIES.length];
	if (i < BUREAUS.length && i < 6 + (city % 5)) {
		const [zh, en] = BUREAUS[i];
		return { zh: `${cityZh}市${zh}`, en: `${cityEn} ${en}`, district: false };
	}
	const n = i + 1;
	return { zh: `${cityZh}市第${zhNumber(n)}区人民政府`, en: `${cityEn} District ${n} Government`, district: true };
}

/** Level 3: sections of a bureau, or the offices and subdistricts of a district. */
export function sectionName(parent: { zh: string; en: string; district: boolean }, i: number): { zh: string; en: string } {
	const base = parent.zh.replace(/人民政府$/, '');
	const baseEn = parent.en.replace(/ Government$/, '');
	if (parent.district && i >= 3) return { zh: `${base}第${zhNumber(i - 2)}街道办事处`, en: `${baseEn} Subdistrict ${i - 2} Office` };
	const [zh, en] = SECTIONS[i % SECTIONS.length];
	const round = Math.floor(i / SECTIONS.length);
	return { zh: `${base}${zh}${round ? round + 1 : ''}`, en: `${baseEn} ${en}${round ? ` ${round + 1}` : ''}` };
}
