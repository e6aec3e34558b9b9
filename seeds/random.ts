/** Deterministic pseudo-random numbers (mulberry32), so every seed run builds the same organisation. */
export function createRandom(seed: number) {
	let a = seed >>> 0;
	const next = () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return {
		next,
		int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
		pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
		chance: (p: number) => next() < p,
		/** Roughly normal, mean 0, sd 1. */
		gauss: () => (next() + next() + next() + next() + next() + next() - 3) / Math.sqrt(0.5)
	};
}
export type Random = ReturnType<typeof createRandom>;

const SURNAMES =
	'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN =
	'伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华玉兰萍鹏辉玲建国红梅丹斌宇浩凯婷雪琳晨阳博文佳怡欣然志强海燕晓东子轩梓涵思远雨萱嘉怡浩然俊杰诗琪宏伟建平立新春燕秋菊永红';

export function chineseName(random: Random): string {
	const given = random.chance(0.55) ? random.pick([...GIVEN]) + random.pick([...GIVEN]) : random.pick([...GIVEN]);
	return random.pick([...SURNAMES]) + given;
}

const PINYIN_SURNAMES = [
	'wang',
	'li',
	'zhang',
	'liu',
	'chen',
	'yang',
	'huang',
	'zhao',
	'wu',
	'zhou',
	'xu',
	'sun',
	'ma',
	'zhu',
	'hu',
	'guo',
	'he',
	'gao',
	'lin',
	'luo'
];
export function emailFor(random: Random, username: string): string {
	return `${random.pick(PINYIN_SURNAMES)}.${username.toLowerCase()}@gov.example.cn`;
}
