"""The demo organisation: a believable Chinese company of about 60 people.

Plain data; ``demo.loader`` turns it into rows through the org services.
"""

from __future__ import annotations

DEMO_PASSWORD = "qiaoban2026"

COMPANY = ("hq", "巧办科技有限公司", "Qiaoban Technology Co., Ltd.")

# code, name, English name, parent code
DEPARTMENTS = [
    ("gm_office", "总经办", "General Manager's Office", "hq"),
    ("finance", "财务部", "Finance", "hq"),
    ("finance_accounting", "会计组", "Accounting", "finance"),
    ("finance_treasury", "资金组", "Treasury", "finance"),
    ("hr", "人事部", "Human Resources", "hq"),
    ("admin", "行政部", "Administration", "hq"),
    ("purchasing", "采购部", "Purchasing", "hq"),
    ("sales", "销售部", "Sales", "hq"),
    ("sales_east", "华东销售组", "Sales East China", "sales"),
    ("sales_south", "华南销售组", "Sales South China", "sales"),
    ("tech", "技术部", "Technology", "hq"),
    ("tech_platform", "平台组", "Platform", "tech"),
    ("tech_product", "产品组", "Product", "tech"),
    ("legal", "法务部", "Legal", "hq"),
]

# code, name, English name
POSITIONS = [
    ("general_manager", "总经理", "General manager"),
    ("director", "总监", "Director"),
    ("manager", "经理", "Manager"),
    ("team_lead", "组长", "Team lead"),
    ("accountant", "会计", "Accountant"),
    ("cashier", "出纳", "Cashier"),
    ("hr_specialist", "人事专员", "HR specialist"),
    ("admin_specialist", "行政专员", "Administration specialist"),
    ("buyer", "采购员", "Buyer"),
    ("sales_rep", "销售代表", "Sales representative"),
    ("engineer", "工程师", "Engineer"),
    ("product_manager", "产品经理", "Product manager"),
    ("legal_counsel", "法务专员", "Legal counsel"),
    ("assistant", "助理", "Assistant"),
]

# code, name, English name, permissions, data scope
ROLES = [
    ("employee", "员工", "Employee", [], "own"),
    ("dept_head", "部门负责人", "Department head", [], "subtree"),
    ("finance", "财务", "Finance", ["records.export"], "all"),
    ("hr", "人事", "HR", ["records.export"], "all"),
    ("general_manager", "总经理", "General manager", ["records.export", "audit.read"], "all"),
    ("legal", "法务", "Legal", [], "own"),
    ("process_admin", "流程管理员", "Process administrator",
     ["apps.design", "apps.publish", "dictionary.manage", "records.export"], "all"),
    ("system_admin", "系统管理员", "System administrator",
     ["org.manage", "apps.design", "apps.publish", "dictionary.manage", "audit.read", "records.export",
      "records.edit"], "all"),
]

# username, name, department, position, extra roles, heads department?
PEOPLE = [
    ("wangjianguo", "王建国", "gm_office", "general_manager", ["general_manager"], "gm_office"),
    ("sunli", "孙丽", "gm_office", "assistant", [], None),
    ("zhouqiang", "周强", "gm_office", "director", ["general_manager"], None),
    ("zhaomin", "赵敏", "finance", "director", ["finance"], "finance"),
    ("qianhui", "钱慧", "finance_accounting", "team_lead", ["finance"], "finance_accounting"),
    ("sunyue", "孙悦", "finance_accounting", "accountant", ["finance"], None),
    ("lixue", "李雪", "finance_accounting", "accountant", ["finance"], None),
    ("zhoujie", "周杰", "finance_treasury", "team_lead", ["finance"], "finance_treasury"),
    ("wuyan", "吴燕", "finance_treasury", "cashier", ["finance"], None),
    ("chenjing", "陈静", "hr", "manager", ["hr"], "hr"),
    ("yangfan", "杨帆", "hr", "hr_specialist", ["hr"], None),
    ("huangting", "黄婷", "hr", "hr_specialist", ["hr"], None),
    ("xuli", "徐丽", "hr", "hr_specialist", ["hr"], None),
    ("liuyang", "刘洋", "admin", "manager", ["process_admin"], "admin"),
    ("hejun", "何军", "admin", "admin_specialist", [], None),
    ("guoxin", "郭欣", "admin", "admin_specialist", [], None),
    ("maling", "马玲", "admin", "assistant", [], None),
    ("linfeng", "林峰", "purchasing", "manager", [], "purchasing"),
    ("luohao", "罗浩", "purchasing", "buyer", [], None),
    ("liangyu", "梁宇", "purchasing", "buyer", [], None),
    ("songjia", "宋佳", "purchasing", "buyer", [], None),
    ("zhangwei", "张伟", "sales", "director", [], "sales"),
    ("lina", "李娜", "sales_east", "sales_rep", [], None),
    ("wangfang", "王芳", "sales_east", "team_lead", [], "sales_east"),
    ("liuqiang", "刘强", "sales_east", "sales_rep", [], None),
    ("chenlei", "陈磊", "sales_east", "sales_rep", [], None),
    ("yangxue", "杨雪", "sales_east", "sales_rep", [], None),
    ("zhaogang", "赵刚", "sales_east", "sales_rep", [], None),
    ("huanglei", "黄磊", "sales_south", "team_lead", [], "sales_south"),
    ("zhoumin", "周敏", "sales_south", "sales_rep", [], None),
    ("wuhao", "吴昊", "sales_south", "sales_rep", [], None),
    ("xujing", "徐静", "sales_south", "sales_rep", [], None),
    ("sunpeng", "孙鹏", "sales_south", "sales_rep", [], None),
    ("zhuhong", "朱红", "sales", "assistant", [], None),
    ("hemin", "何敏", "tech", "director", [], "tech"),
    ("gaofeng", "高峰", "tech_platform", "team_lead", [], "tech_platform"),
    ("linhai", "林海", "tech_platform", "engineer", [], None),
    ("luojun", "罗军", "tech_platform", "engineer", [], None),
    ("zhengyu", "郑宇", "tech_platform", "engineer", [], None),
    ("liangchen", "梁晨", "tech_platform", "engineer", [], None),
    ("xieyun", "谢云", "tech_platform", "engineer", [], None),
    ("songtao", "宋涛", "tech_platform", "engineer", ["process_admin"], None),
    ("tangli", "唐丽", "tech_product", "team_lead", [], "tech_product"),
    ("hanxue", "韩雪", "tech_product", "product_manager", [], None),
    ("fengyi", "冯毅", "tech_product", "product_manager", [], None),
    ("dengjie", "邓洁", "tech_product", "engineer", [], None),
    ("caoyang", "曹阳", "tech_product", "engineer", [], None),
    ("pengfei", "彭飞", "tech", "engineer", [], None),
    ("zengqing", "曾青", "tech", "engineer", [], None),
    ("xiaohong", "肖红", "legal", "manager", ["legal"], "legal"),
    ("tianyu", "田雨", "legal", "legal_counsel", ["legal"], None),
    ("dongbin", "董斌", "legal", "legal_counsel", ["legal"], None),
    ("panyan", "潘艳", "purchasing", "buyer", [], None),
    ("yuanbo", "袁博", "sales_east", "sales_rep", [], None),
    ("caixin", "蔡欣", "sales_south", "sales_rep", [], None),
    ("jiangtao", "蒋涛", "tech_platform", "engineer", [], None),
    ("yuqian", "余倩", "admin", "admin_specialist", [], None),
    ("dumei", "杜梅", "finance_accounting", "accountant", ["finance"], None),
    ("yekai", "叶凯", "hr", "hr_specialist", ["hr"], None),
    ("chengyu", "程宇", "tech_product", "engineer", [], None),
]

# The platform's own administrator (a superuser; not in any department).
ADMIN = ("admin", "系统管理员", ["system_admin"])

# Shown by `make run` and listed in the README.
FEATURED_LOGINS = [
    ("admin", "系统管理员 / system administrator"),
    ("liuyang", "流程管理员 (行政部经理) / process administrator"),
    ("lina", "员工 (华东销售组) / employee in sales"),
    ("wangfang", "华东销售组组长 / team lead, sales east"),
    ("zhangwei", "销售部总监 (部门负责人) / head of sales"),
    ("zhaomin", "财务部总监 / head of finance"),
    ("chenjing", "人事部经理 / head of HR"),
    ("wangjianguo", "总经理 / general manager"),
    ("xiaohong", "法务部经理 / head of legal"),
]
