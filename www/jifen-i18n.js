// Labels of the <jifen-points> widget in zh-CN and en. Merchant text (reward names, tier
// names, reasons) comes from the programme and the engine, already in both languages.
export const LABELS = {
  'zh-CN': {
    title: '本单积分', preview: '预估', confirmed: '已确认', differs: '以服务器结果为准：与预估不同',
    total: '本单可得', guestTotal: '会员可得', guestNote: '登录或加入会员后下单，即可获得这些积分', pts: '分', byKind: '按积分类型', breakdown: '积分明细', excluded: (c) => `${c}：不积分`,
    available: '可用日期', expires: '到期日期', never: '永久有效',
    tier: '会员等级', toNext: (spend, orders, tier, any) => `再${[spend && `消费${spend}`, orders && `${orders}笔订单`].filter(Boolean).join(any ? '或' : '、')}即可升级${tier}`, topTier: '已是最高等级', upgraded: (tier) => `本单后升级为${tier}`,
    perks: (list) => `当前权益：${list}`, adds: (list) => `升级后可享：${list}`, times: (m) => `积分×${m}`, sep: '、',
    rewards: '积分兑换', perPoint: '每分价值', affordable: '可兑换', redeem: '兑换', redeemConfirm: (n) => `确认用${n}分兑换`, short: (n, spend) => `还差${n}分（约消费${spend}）`, offer: (p, d) => `价值提升${p}%，至${d}`,
    offset: '积分抵现', offsetUse: '使用积分', offsetOff: (m) => `抵扣${m}`, offsetNone: '本单暂不可用积分抵现', offsetWhyNot: { insufficient_points: (min, have) => `满${min}积分可抵现，当前可用${have}分`, order_too_small: () => '订单金额较小，暂不可用积分抵现', offset_tier_too_low: (min, have, tier) => `${tier}及以上可用积分抵现` }, earnAfter: '抵扣后本单积分',
    expiring: '即将到期', expiringText: (n, d) => `${n}积分将于${d}到期，请尽快使用`,
    household: '家庭积分转赠', to: '转给', amount: '积分数', previewTransfer: '预览转赠', give: '确认转赠', transferText: (n, who, left) => `将转给${who} ${n}分，到期日不变；本月还可转赠${left}分`,
    transferError: { insufficient_points: () => '可转赠的积分不足', transfer_below_minimum: (min) => `每次至少转赠${min}分`, monthly_limit_exceeded: (min, month, sent) => `每月最多转赠${month}分${sent ? `，本月已转赠${sent}分` : ''}` },
    rules: '积分规则', loading: '正在计算…', error: '无法计算积分',
  },
  en: {
    title: 'Points for this order', preview: 'Preview', confirmed: 'Confirmed', differs: 'Showing the server’s figures: they differ from the preview',
    total: 'You earn', guestTotal: 'Members earn', guestNote: 'Sign in or join before you order to earn these points', pts: 'pts', byKind: 'By kind', breakdown: 'How it adds up', excluded: (c) => `${c}: no points`,
    available: 'Usable from', expires: 'Expires', never: 'never',
    tier: 'Tier', toNext: (spend, orders, tier, any) => `${[spend, orders && `${orders} order${orders > 1 ? 's' : ''}`].filter(Boolean).join(any ? ' or ' : ' and ')} to ${tier}`, topTier: 'Top tier reached', upgraded: (tier) => `This order makes you ${tier}`,
    perks: (list) => `Your perks: ${list}`, adds: (list) => `Upgrading adds ${list}`, times: (m) => `points ×${m}`, sep: ', ',
    rewards: 'Redeem points', perPoint: 'value per point', affordable: 'Affordable', redeem: 'Redeem', redeemConfirm: (n) => `Confirm: spend ${n} pts`, short: (n, spend) => `${n} pts short (about ${spend} of shopping)`, offer: (p, d) => `+${p}% value, until ${d}`,
    offset: 'Pay with points', offsetUse: 'Points to use', offsetOff: (m) => `${m} off`, offsetNone: 'Points cannot pay for this order', offsetWhyNot: { insufficient_points: (min, have) => `Points can pay once you have ${min}; you have ${have}`, order_too_small: () => 'This order is too small to pay with points', offset_tier_too_low: (min, have, tier) => `Paying with points starts at ${tier}` }, earnAfter: 'This order then earns',
    expiring: 'Expiring soon', expiringText: (n, d) => `${n} points expire on ${d}: use them first`,
    household: 'Give points to family', to: 'To', amount: 'Points', previewTransfer: 'Preview gift', give: 'Give now', transferText: (n, who, left) => `${n} points to ${who}; expiry dates stay the same; ${left} more can be given this month`,
    transferError: { insufficient_points: () => 'Not enough points to give', transfer_below_minimum: (min) => `Give at least ${min} points at a time`, monthly_limit_exceeded: (min, month, sent) => `At most ${month} points can be given a month${sent ? `; ${sent} given this month` : ''}` },
    rules: 'Programme rules', loading: 'Calculating…', error: 'Points cannot be calculated',
  },
};
