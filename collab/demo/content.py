"""Demo content for Common Ground: a draft SRO memorandum of understanding.

Plain data used to seed a demonstration instance of the service:

* ``DOCUMENT_TITLE`` - the title of the draft MOU.
* ``CLAUSES`` - the clauses of the draft, in order, each with a ``number``,
  ``heading`` and ``body``.
* ``ACCOUNTS`` - demo accounts, at least one per default stakeholder group.
* ``COMMENTS`` - sample stakeholder comments on the draft. ``quote`` (when
  present) is an exact substring of the clause body; ``reply_to`` (when
  present) is the index in ``COMMENTS`` of the thread's first comment.

The district, city, police department and every person named here are
fictional. The draft is deliberately imperfect in places (the discipline
carve-out, questioning, restraint, disability, data reporting and complaints
clauses) so that the sample comments have something real to argue about. It
is written for this demo and is not copied from any actual MOU.

Call ``check()`` to validate the cross-references in this file.
"""

from __future__ import annotations

DOCUMENT_TITLE = (
    "Memorandum of Understanding: School Resource Officer Program - "
    "Riverbend Unified School District and Riverbend Police Department (Draft 1)"
)

CLAUSES: list[dict] = [
    {
        "number": "1",
        "heading": "Parties, Authority and Term",
        "body": (
            "This Memorandum of Understanding (MOU) is entered into by the Riverbend Unified School "
            "District (the District) and the Riverbend Police Department (the Department), together "
            "the Parties. The District enters into this MOU under the authority of its Board of "
            "Education, and the Department under the authority of the City of Riverbend. This MOU was "
            "drafted by the Parties in consultation with families, students, educators, juvenile-justice "
            "agencies, civil-rights organizations and community members. It takes effect on July 1, "
            "2027, or on the date it is signed by all Parties, whichever is later, and no School Resource "
            "Officer shall be assigned to a District school before it is signed. It remains in effect "
            "until June 30, 2029. The Parties shall review this MOU at least every two years, with public "
            "input, and may renew it by written agreement."
        ),
    },
    {
        "number": "2",
        "heading": "Purpose and Goals",
        "body": (
            "The purpose of the School Resource Officer (SRO) program is to help provide a safe, "
            "supportive and inclusive learning environment for all students and staff. The goals of the "
            "program are to: (a) protect students and staff from serious threats to their physical "
            "safety; (b) build positive relationships between young people and law enforcement; (c) "
            "reduce the involvement of students in the juvenile and criminal legal systems; (d) support, "
            "but not replace, the District's counseling, mental-health, restorative and positive-behavior "
            "supports; and (e) carry out the program consistent with the civil rights of every student. "
            "The Parties agree that the presence of an SRO is not a substitute for trained educators, "
            "counselors and mental-health professionals."
        ),
    },
    {
        "number": "3",
        "heading": "Scope",
        "body": (
            "This MOU applies to SRO activities on District property, including school buildings and "
            "grounds; District-owned or District-contracted school buses, and bus stops while students "
            "are boarding or leaving a bus; and District-sponsored events and activities, whether held "
            "on or off campus. It applies to all SROs assigned to the District by the Department and to "
            "District employees who work with SROs. This MOU does not limit the authority of other "
            "Department officers who respond to calls for service at a District site, but the Department "
            "shall make reasonable efforts to have those officers follow the procedures in this MOU when "
            "dealing with students."
        ),
    },
    {
        "number": "4",
        "heading": "Definitions",
        "body": (
            "For purposes of this MOU:\n"
            "- 'School Resource Officer' or 'SRO' means a sworn officer of the Department assigned to one "
            "or more District schools under this MOU.\n"
            "- 'Administrator' means a principal, assistant principal or other person designated by the "
            "principal.\n"
            "- 'Parent' means a parent, legal guardian or other person legally responsible for a student.\n"
            "- 'School discipline' means any response to a violation of the District's Student Code of "
            "Conduct.\n"
            "- 'Diversion' means a program or response that addresses a student's conduct without an "
            "arrest, citation or court referral.\n"
            "- 'Restraint' means any physical or mechanical method of restricting a student's freedom of "
            "movement."
        ),
    },
    {
        "number": "5",
        "heading": "Roles and Duties of the SRO",
        "body": (
            "The SRO's primary duty is to protect the physical safety of students, staff and visitors and "
            "to respond to criminal conduct that poses a real and immediate threat to safety. Within that "
            "role, the SRO shall: (a) serve as a liaison between the school and the Department; (b) help "
            "develop and practice school safety and emergency plans; (c) act as an informal mentor to "
            "students when invited; and (d) provide law-related education in classrooms at the request of "
            "teachers. The principal shall meet with the SRO at least monthly to discuss school safety "
            "priorities. The SRO shall not be assigned to cover classrooms, supervise lunch or detention, "
            "or perform other duties normally carried out by school staff."
        ),
    },
    {
        "number": "6",
        "heading": "School Discipline and Criminal Conduct",
        "body": (
            "The District retains sole responsibility for school discipline. SROs shall not enforce the "
            "Student Code of Conduct, and administrators shall not ask an SRO to impose, or help decide, "
            "any disciplinary consequence. Violations of school rules, including disruption, dress-code "
            "violations, tardiness, disrespect, profanity and minor fights without injury, shall be "
            "handled by school staff through the District's discipline, restorative and positive-behavior "
            "procedures. However, the SRO may assist administrators in maintaining order on campus and may "
            "be present at disciplinary conferences when an administrator believes the SRO's presence is "
            "necessary. Where conduct is both a school-rule violation and a crime, administrators shall "
            "first consider whether a school-based response is sufficient before involving the SRO."
        ),
    },
    {
        "number": "7",
        "heading": "Arrests, Citations and Court Referrals",
        "body": (
            "Arrests, citations and referrals to juvenile court shall be a last resort. Before arresting "
            "or citing a student for a misdemeanor or status offense on District property, the SRO should "
            "consider alternatives, including a warning, a referral back to the administrator, a "
            "restorative conference, a referral to mental-health or community services, or a referral to "
            "the Riverbend County Youth Diversion Program. Nothing in this section limits the SRO's "
            "discretion to arrest or cite a student when the SRO determines that an arrest or citation is "
            "warranted. Where possible, an arrest shall be made out of view of other students. The SRO "
            "shall notify the administrator and the student's parent as soon as possible after any arrest "
            "or citation."
        ),
    },
    {
        "number": "8",
        "heading": "Questioning of Students",
        "body": (
            "The SRO shall not question a student on District property about conduct that could lead to a "
            "criminal charge unless an administrator is present, when practicable. Before questioning a "
            "student as a suspect, the SRO shall make reasonable efforts to notify the student's parent, "
            "except where the SRO determines that notification would impede an investigation or the "
            "student agrees to speak with the SRO. Students shall be advised of their rights in language "
            "appropriate to their age and understanding, and the SRO shall honor a student's request to "
            "stop the questioning or to speak with a parent. Administrators shall not question a student "
            "at the request of, or on behalf of, the SRO in order to avoid these requirements. Questioning "
            "of students as witnesses or victims is not subject to this section."
        ),
    },
    {
        "number": "9",
        "heading": "Searches",
        "body": (
            "Searches of students, their belongings and lockers for violations of school rules are the "
            "responsibility of administrators, who may search when there are reasonable grounds to suspect "
            "that the search will turn up evidence of a rule violation, consistent with Board policy. The "
            "SRO shall not direct or ask an administrator to conduct a search for law-enforcement purposes. "
            "The SRO may search a student only on the same legal basis that would apply to a search off "
            "school grounds, or when the SRO reasonably believes that a student has a weapon that presents "
            "an immediate danger. The SRO may be present during an administrator's search if needed for "
            "safety. Strip searches by SROs or school staff are prohibited."
        ),
    },
    {
        "number": "10",
        "heading": "Use of Force and Restraint",
        "body": (
            "The SRO shall use de-escalation techniques whenever possible and shall use force only in "
            "accordance with Department policy and the law. The SRO may use reasonable restraint when "
            "necessary to protect the student or others from imminent physical harm or to make a lawful "
            "arrest. The SRO shall not physically restrain a student solely for a violation of school rules "
            "or for refusing to follow an instruction. Handcuffs shall not be used on students in grade 5 or "
            "below except where there is an imminent threat of serious bodily injury. Chemical sprays and "
            "electronic control devices shall not be used on students except as permitted by Department "
            "policy. The SRO shall notify the administrator immediately, and the parent the same day, of "
            "any use of force or restraint on a student."
        ),
    },
    {
        "number": "11",
        "heading": "Students with Disabilities",
        "body": (
            "The Parties recognize that a student's behavior may be a manifestation of a disability. Where "
            "known, the SRO shall take into account a student's disability, including any behavior "
            "intervention plan, Individualized Education Program (IEP) or Section 504 plan, when responding "
            "to an incident. Administrators may share with the SRO the parts of such plans that relate to "
            "safety, to the extent practicable. The SRO shall seek the help of the student's special-"
            "education staff or another adult familiar with the student before intervening, unless there is "
            "an imminent threat of serious harm. Nothing in this MOU limits the rights of students under the "
            "Individuals with Disabilities Education Act, Section 504 of the Rehabilitation Act or the "
            "Americans with Disabilities Act."
        ),
    },
    {
        "number": "12",
        "heading": "Information Sharing and Student Records",
        "body": (
            "The Parties shall share information in compliance with the Family Educational Rights and "
            "Privacy Act (FERPA), state student-privacy law and Board policy. For purposes of FERPA, the SRO "
            "is designated a school official with a legitimate educational interest in education records to "
            "the extent needed to carry out the SRO's duties under this MOU, and shall not re-disclose those "
            "records to the Department or others except as FERPA permits. The SRO shall not have direct "
            "access to the District's student information system. Records created by the SRO in the course "
            "of law-enforcement duties are Department records, not education records. Information shall be "
            "shared in writing or by secure electronic means, and the District shall keep a log of "
            "disclosures made to the SRO."
        ),
    },
    {
        "number": "13",
        "heading": "Body-Worn Cameras",
        "body": (
            "SROs shall wear and operate body-worn cameras in accordance with Department policy. Cameras "
            "shall not be activated to record routine, non-enforcement interactions with students, or in "
            "restrooms, locker rooms, health offices or confidential meetings with counselors, unless a "
            "criminal incident is in progress. Recordings shall be retained and released under Department "
            "policy and state public-records law. The Department shall notify the District when a third "
            "party requests footage involving a student. A parent may ask to view footage of an incident "
            "involving their own child, subject to applicable law and to the privacy of other students shown "
            "in the recording."
        ),
    },
    {
        "number": "14",
        "heading": "Selection of SROs",
        "body": (
            "The Department shall nominate officers for SRO assignments from among sworn officers who have "
            "at least three years of patrol experience, no sustained complaints of excessive force or "
            "discrimination, and a demonstrated interest in working with young people. A selection panel "
            "including the principal of the receiving school, a District representative and, where "
            "available, a parent and a student representative shall interview nominees and recommend "
            "candidates. The Chief of Police shall make the final selection. The District may ask that an "
            "SRO be reassigned, and the Department shall give the request serious consideration and respond "
            "in writing within 30 days."
        ),
    },
    {
        "number": "15",
        "heading": "Training",
        "body": (
            "Before assignment, or within the first year for SROs already serving, each SRO shall complete "
            "at least 40 hours of specialized training in school-based policing, and at least 16 hours of "
            "refresher training each year after that. Training shall cover adolescent development; "
            "de-escalation and crisis intervention; trauma-informed practice; working with students with "
            "disabilities and mental-health needs; implicit bias and cultural responsiveness; civil rights, "
            "including students' rights under the Constitution and federal law; restorative practice; and "
            "FERPA and student privacy. The District shall invite SROs to take part in relevant staff "
            "training, and administrators who work with SROs shall receive training on this MOU. The "
            "Department shall keep records of completed training and provide them to the District."
        ),
    },
    {
        "number": "16",
        "heading": "Supervision and Evaluation",
        "body": (
            "SROs remain employees of the Department and are supervised by the sergeant of the Department's "
            "School Safety Unit, who reports to the Patrol Division commander. On daily matters concerning "
            "school operations, the SRO shall coordinate with the principal or the principal's designee. The "
            "District shall designate a District SRO Liaison to resolve issues between schools and the "
            "Department. Each SRO shall be evaluated annually by the Department, and the principal shall be "
            "given an opportunity to provide written input into the evaluation. The evaluation shall consider "
            "the SRO's relationships with students, adherence to this MOU, use of alternatives to arrest, and "
            "completion of training. The Parties shall publicly recognize SROs whose work shows strong "
            "relationships with students and success in reducing arrests and referrals."
        ),
    },
    {
        "number": "17",
        "heading": "Data Collection and Reporting",
        "body": (
            "The Department shall collect data on the SRO program, including the number of arrests, "
            "citations, referrals to juvenile court, referrals to diversion, and incidents involving the use "
            "of force or restraint on District property. The Department shall provide a summary of these data "
            "to the District annually upon request. The District shall collect data on school-based referrals "
            "to the SRO and include them in its existing reports to the Board of Education. The Parties shall "
            "use the data to identify trends and improve the program. Data shall not contain personally "
            "identifiable information about any student."
        ),
    },
    {
        "number": "18",
        "heading": "Complaints",
        "body": (
            "Complaints regarding the conduct of an SRO shall be directed to the Department and will be "
            "handled in accordance with the Department's established internal affairs procedures. Complaints "
            "regarding District staff shall be handled under Board policy. A principal may forward to the "
            "Department any complaint about an SRO that is received at a school. The Department shall inform "
            "the District of the outcome of complaints involving students to the extent permitted by law. "
            "Nothing in this section prevents a student or parent from filing a complaint with the U.S. "
            "Department of Education's Office for Civil Rights or any other agency."
        ),
    },
    {
        "number": "19",
        "heading": "Community Engagement and Program Review",
        "body": (
            "The Parties value the participation of families, students, educators and the community in the "
            "SRO program. The District shall post this MOU on its website in English and in the languages "
            "most commonly spoken by District families. The District may hold a public meeting each year to "
            "discuss the program. Before each two-year review, the Parties shall form a review committee that "
            "includes representatives of families, students, educators, school leaders, the Department, "
            "juvenile-justice agencies, civil-rights organizations and community groups. The committee shall "
            "review program data, complaints and community input and recommend changes to this MOU. The "
            "Parties shall respond in writing to the committee's recommendations."
        ),
    },
    {
        "number": "20",
        "heading": "Non-Discrimination and Immigration Status",
        "body": (
            "The Parties shall carry out this MOU in compliance with Title VI of the Civil Rights Act of 1964, "
            "Title IX of the Education Amendments of 1972, Section 504 of the Rehabilitation Act, the Americans "
            "with Disabilities Act and state civil-rights law, and shall not discriminate on the basis of race, "
            "color, national origin, religion, sex, sexual orientation, gender identity, disability, language "
            "or immigration status. The SRO shall not ask about or record the immigration or citizenship "
            "status of any student or family member, shall not act as an immigration enforcement agent on "
            "District property, and shall refer any request by federal immigration authorities for access to "
            "a school or a student to the Superintendent, except as otherwise required by law."
        ),
    },
    {
        "number": "21",
        "heading": "Funding and Logistics",
        "body": (
            "The Department shall pay the salary, benefits, equipment, vehicle and overtime costs of each SRO. "
            "The District shall reimburse the Department for 50 percent of the salary and benefits of SROs "
            "assigned to District schools during the school year, invoiced quarterly and subject to annual "
            "appropriation by the Board of Education. The District shall provide each SRO with private office "
            "space, a telephone and access to school buildings. SRO coverage of after-school events shall be "
            "arranged through the principal and paid at the Department's overtime rate. Training required by "
            "this MOU shall be paid by the Department, except that District-provided training shall be free "
            "of charge to SROs."
        ),
    },
    {
        "number": "22",
        "heading": "Emergencies",
        "body": (
            "In an emergency that threatens life or safety, such as an armed intruder, a credible threat of "
            "violence, a fire or a natural disaster, the SRO shall act under Department policy and the "
            "District's emergency operations plan, and shall coordinate with the principal and other "
            "emergency responders. Once the emergency has ended, the SRO shall return to the procedures in "
            "this MOU as soon as practical. An emergency does not authorize the SRO to question or search "
            "students outside the procedures in this MOU except as needed to address the immediate threat. "
            "The Parties shall conduct at least one joint emergency drill or tabletop exercise at each school "
            "each year."
        ),
    },
    {
        "number": "23",
        "heading": "Termination and Amendment",
        "body": (
            "Either Party may terminate this MOU for any reason by giving the other Party written notice at "
            "least 90 days before the termination date. Either Party may terminate this MOU on 30 days' "
            "written notice if the other Party materially breaches it and fails to cure the breach within "
            "that time. Upon termination, all SROs shall be withdrawn from District schools, and the District "
            "shall pay any reimbursement owed for services provided up to the termination date. This MOU may "
            "be amended only in a writing signed by both Parties, after public notice and a public comment "
            "period of at least 30 days."
        ),
    },
    {
        "number": "24",
        "heading": "Consistency with the State Model MOU",
        "body": (
            "This MOU follows the model memorandum of understanding for school resource officer programs "
            "published by the State Department of Education and the State Department of Criminal Justice "
            "Services. Where this MOU departs from the state model, the departure and the reason for it are "
            "listed in an appendix made public with this MOU. When the state revises its model, the Parties "
            "shall review this MOU against the revised model within six months and propose any amendments "
            "needed to follow it."
        ),
    },
    {
        "number": "25",
        "heading": "Signatures",
        "body": (
            "The Parties have executed this Memorandum of Understanding as of the dates written below. Each "
            "person signing represents that he or she is authorized to bind the Party on whose behalf he or "
            "she signs, and that the signing Party's governing body has approved this MOU.\n"
            "- For the Riverbend Unified School District: Superintendent of Schools (date); President, Board "
            "of Education (date).\n"
            "- For the Riverbend Police Department: Chief of Police (date); City Manager, City of Riverbend "
            "(date).\n"
            "- Approved as to form: General Counsel, Riverbend Unified School District; City Attorney, City "
            "of Riverbend."
        ),
    },
]

# Which checklist items (collab/domain/checklist.json) each clause addresses, and how strongly.
# The deliberately weak clauses are tagged `partly`: discipline ("maintaining order"), arrests (the
# officer's discretion), questioning ("when practicable"), restraint (no limit on prone holds),
# data ("upon request", no breakdowns), complaints (internal affairs only), the public meeting that
# "may" be held.
COVERAGE: dict[str, dict[str, str]] = {
    "1": {"S1.1": "addresses", "S1.2": "addresses", "S1.9": "addresses", "P.parties": "addresses"},
    "2": {"S1.5": "addresses", "P.purpose": "addresses", "S2.4": "partly"},
    "3": {"P.scope": "addresses"},
    "5": {"S1.4": "addresses", "S1.6": "addresses", "P.roles": "addresses"},
    "6": {"S2.1": "partly", "P.discipline": "partly", "S2.4": "partly"},
    "7": {"S2.2": "partly", "P.arrests": "partly"},
    "8": {"P.questioning": "partly"},
    "9": {"P.searches": "addresses"},
    "10": {"P.force": "partly"},
    "11": {"P.disability": "addresses"},
    "12": {"S1.8": "addresses", "P.information": "addresses"},
    "13": {"P.cameras": "addresses"},
    "14": {"S3.1": "addresses", "P.selection": "addresses"},
    "15": {"S4.1": "addresses", "P.training": "addresses"},
    "16": {"S1.7": "addresses", "S5.1": "addresses", "P.supervision": "addresses"},
    "17": {"S5.2": "partly", "P.data": "partly"},
    "18": {"P.complaints": "partly"},
    "19": {"P.engagement": "partly", "P.review": "addresses"},
    "20": {"S2.3": "addresses", "P.nondiscrimination": "addresses", "P.immigration": "addresses"},
    "21": {"P.funding": "addresses"},
    "22": {"P.emergencies": "addresses"},
    "23": {"P.termination": "addresses"},
    "24": {"S1.3": "addresses"},
    "25": {"S1.9": "addresses"},
}


MODEL_DRAFT_TITLE = "New SRO agreement (started from the model MOU)"


def model_clauses() -> list[dict]:
    """The demo MOU as a model to start a new draft from: its clauses, each with its `coverage`."""
    return [{**clause, "coverage": dict(COVERAGE.get(clause["number"], {}))} for clause in CLAUSES]


ACCOUNTS: list[dict] = [
    {"email": "admin@demo.commonground.example", "name": "Helen Park",
     "role": "admin", "group": "district"},
    {"email": "facilitator@demo.commonground.example", "name": "Diego Fernandez",
     "role": "facilitator", "group": "district"},
    {"email": "family@demo.commonground.example", "name": "Angela Whitfield",
     "role": "participant", "group": "families"},
    {"email": "student@demo.commonground.example", "name": "Jordan Okafor",
     "role": "participant", "group": "students"},
    {"email": "educator@demo.commonground.example", "name": "Priya Raman",
     "role": "participant", "group": "educators"},
    {"email": "school-leader@demo.commonground.example", "name": "Marcus Hale",
     "role": "participant", "group": "school-leaders"},
    {"email": "police@demo.commonground.example", "name": "Sgt. Teresa Moreno",
     "role": "participant", "group": "law-enforcement"},
    {"email": "juvenile-justice@demo.commonground.example", "name": "Kevin Tran",
     "role": "participant", "group": "juvenile-justice"},
    {"email": "civil-rights@demo.commonground.example", "name": "Latoya Simmons",
     "role": "participant", "group": "civil-rights"},
    {"email": "community@demo.commonground.example", "name": "Rev. Samuel Ortiz",
     "role": "participant", "group": "community"},
    {"email": "press@demo.commonground.example", "name": "Press Observer",
     "role": "observer", "group": "community"},
]

COMMENTS: list[dict] = [
    # 0
    {
        "author": "civil-rights@demo.commonground.example",
        "clause": "6",
        "kind": "concern",
        "quote": "assist administrators in maintaining order",
        "body": (
            "This phrase undoes the first sentence of the clause. 'Maintaining order' is exactly what "
            "school discipline is, and in other districts language like this is how officers ended up "
            "handling classroom disruptions and dress-code disputes. We ask that it be struck and replaced "
            "with a clear rule that the SRO becomes involved only when there is a real and immediate threat "
            "to someone's physical safety."
        ),
    },
    # 1
    {
        "author": "police@demo.commonground.example",
        "clause": "10",
        "kind": "concern",
        "quote": "Handcuffs shall not be used on students in grade 5 or below",
        "body": (
            "We support de-escalation first, but a blanket rule tied to grade level does not account for "
            "the size of the student, whether a weapon is involved, or how fast a situation is moving. "
            "Officers need to be able to use the least force necessary to keep everyone safe, and the "
            "imminent-threat exception is too narrow for that. We would prefer to rely on Department "
            "use-of-force policy, which already requires that force be objectively reasonable."
        ),
    },
    # 2
    {
        "author": "family@demo.commonground.example",
        "clause": "8",
        "kind": "question",
        "quote": "make reasonable efforts to notify the student's parent",
        "body": (
            "What counts as 'reasonable efforts'? If the school calls my cell once during my shift and I "
            "miss it, can the officer go ahead and question my son? I would like to know whether a parent "
            "is told before questioning starts, and whether we can ask to be there."
        ),
    },
    # 3
    {
        "author": "student@demo.commonground.example",
        "clause": "8",
        "kind": "concern",
        "quote": "student agrees to speak with the SRO",
        "body": (
            "Most students are not going to tell a police officer no, especially when the principal is "
            "sitting right there. Saying 'sure' to an officer is not the same as understanding that you "
            "can wait for your parent. A student should not be able to give up the parent call on their "
            "own, at least not for anyone under 18."
        ),
    },
    # 4
    {
        "author": "educator@demo.commonground.example",
        "clause": "15",
        "kind": "support",
        "quote": "The District shall invite SROs to take part in relevant staff training",
        "body": (
            "As a teacher who has been trained in restorative circles, I strongly support this. When the "
            "officer in our building sat through the same trauma-informed training as our staff, it changed "
            "how he talked with kids in the hallway. Please keep this, and consider making it an expectation "
            "rather than an invitation."
        ),
    },
    # 5
    {
        "author": "juvenile-justice@demo.commonground.example",
        "clause": "7",
        "kind": "suggestion",
        "quote": (
            "Nothing in this section limits the SRO's discretion to arrest or cite a student when the SRO "
            "determines that an arrest or citation is warranted."
        ),
        "body": (
            "'Should consider alternatives' followed by unlimited discretion means diversion is optional "
            "in practice. Our county diversion program has capacity for every first-time misdemeanor and "
            "status offense referred from schools, and youth who go through it are far less likely to come "
            "back into the system. We propose making diversion the default and requiring supervisor "
            "sign-off for exceptions."
        ),
        "suggested_text": (
            "For any misdemeanor or status offense on District property, the SRO shall refer the student to "
            "the Riverbend County Youth Diversion Program or another alternative listed in this section "
            "instead of arresting or citing the student, unless the student's conduct poses a continuing "
            "threat of serious bodily harm. Any arrest, citation or court referral for such an offense "
            "requires the prior approval of the SRO's supervisor, who shall record the reasons in writing."
        ),
    },
    # 6
    {
        "author": "family@demo.commonground.example",
        "clause": "11",
        "kind": "concern",
        "quote": "Where known, the SRO shall take into account a student's disability",
        "body": (
            "My daughter is autistic and shuts down or runs when she is overwhelmed, which can look like "
            "defiance to someone who does not know her. 'Where known' and 'to the extent practicable' mean "
            "the officer may never see her behavior plan. The school should be required to share the "
            "safety-related parts of it, and the SRO should never be the first response to behavior "
            "described in an IEP."
        ),
    },
    # 7
    {
        "author": "civil-rights@demo.commonground.example",
        "clause": "17",
        "kind": "suggestion",
        "quote": "The Department shall provide a summary of these data to the District annually upon request.",
        "body": (
            "A summary that is only produced if someone asks for it, and never broken down by group, cannot "
            "tell the community whether Black students or students with disabilities are being arrested at "
            "higher rates. The federal guidance expects data that can actually be used to evaluate the "
            "program. Reports should be public, regular and disaggregated."
        ),
        "suggested_text": (
            "Each semester, the Department and the District shall jointly publish on the District website a "
            "report of all arrests, citations, court referrals, diversion referrals, searches and uses of "
            "force or restraint involving students, broken down by school, type of offense, race and "
            "ethnicity, sex, disability status, English-learner status and age. Small numbers shall be "
            "suppressed to protect student privacy."
        ),
    },
    # 8
    {
        "author": "community@demo.commonground.example",
        "clause": "18",
        "kind": "question",
        "quote": (
            "shall be directed to the Department and will be handled in accordance with the Department's "
            "established internal affairs procedures"
        ),
        "body": (
            "Many families in our congregation do not speak English and would never walk into a police "
            "station to file a complaint. Can a complaint be filed at the school, online or in Spanish? Is "
            "there a deadline for a response, and will anyone outside the Department see how complaints "
            "are resolved?"
        ),
    },
    # 9
    {
        "author": "police@demo.commonground.example",
        "clause": "6",
        "kind": "support",
        "reply_to": 0,
        "body": (
            "The Department agrees that our officers should not be handling school discipline, and we are "
            "open to tightening this language. What we want to keep is the ability to step in when a fight "
            "is ongoing and someone is about to get hurt. 'Real and immediate threat to physical safety' "
            "is wording we could work with."
        ),
    },
    # 10
    {
        "author": "facilitator@demo.commonground.example",
        "clause": "8",
        "kind": "question",
        "reply_to": 2,
        "body": (
            "Thank you, this is a question several families have raised. As written, Draft 1 does not "
            "require that a parent actually be reached before questioning, or give parents a right to be "
            "present. We have flagged this clause for the drafting committee, and the answer will be "
            "reflected in the change summary for Draft 2."
        ),
    },
    # 11
    {
        "author": "school-leader@demo.commonground.example",
        "clause": "16",
        "kind": "suggestion",
        "quote": "the principal shall be given an opportunity to provide written input into the evaluation",
        "body": (
            "Principals see the SRO every day and the sergeant sees them a few times a semester. An 'opportunity "
            "to provide input' is easy to skip. The evaluation should be completed jointly, and principals "
            "should be able to trigger a review if the SRO is not following this MOU."
        ),
        "suggested_text": (
            "the SRO's evaluation shall be completed jointly by the School Safety Unit sergeant and the "
            "principal, using a form agreed by the Parties, and the principal may at any time ask the "
            "District SRO Liaison to review whether the SRO is complying with this MOU"
        ),
    },
    # 12
    {
        "author": "police@demo.commonground.example",
        "clause": "21",
        "kind": "question",
        "quote": "Training required by this MOU shall be paid by the Department",
        "body": (
            "Forty hours up front plus sixteen a year for every SRO is a real cost in overtime and backfill, "
            "and it is not in the Department's current budget. Would the District consider sharing these "
            "costs, or applying for state school-safety grant funds to cover them?"
        ),
    },
    # 13
    {
        "author": "student@demo.commonground.example",
        "clause": "19",
        "kind": "suggestion",
        "quote": "The District may hold a public meeting each year to discuss the program.",
        "body": (
            "Students are the people this program affects most, but meetings are usually at 6 pm at the "
            "district office when a lot of us work or take care of siblings. The meeting should be required, "
            "and there should be at least one held at a high school during the school day."
        ),
        "suggested_text": (
            "The District shall hold at least two public meetings each year to discuss the program, including "
            "one held at a high school during the school day and planned with student representatives."
        ),
    },
]

_KINDS = ("concern", "suggestion", "support", "question")
_ROLES = ("admin", "facilitator", "participant", "observer")
_GROUPS = (
    "families", "students", "educators", "school-leaders", "law-enforcement",
    "juvenile-justice", "civil-rights", "community", "district",
)


def check() -> None:
    """Assert that the demo data is internally consistent."""
    numbers = [c["number"] for c in CLAUSES]
    assert len(numbers) == len(set(numbers)), "clause numbers must be unique"
    bodies = {c["number"]: c["body"] for c in CLAUSES}
    for c in CLAUSES:
        assert c["heading"] and c["body"], c["number"]
        assert c["body"].isascii() and c["heading"].isascii(), c["number"]
    assert set(COVERAGE) <= set(numbers), "coverage of a clause that does not exist"

    emails = [a["email"] for a in ACCOUNTS]
    assert len(emails) == len(set(emails)), "account emails must be unique"
    for a in ACCOUNTS:
        assert a["role"] in _ROLES, a
        assert a["group"] in _GROUPS, a
        assert a["email"].endswith(".example"), a
    assert {a["group"] for a in ACCOUNTS} == set(_GROUPS), "every group needs an account"

    for i, cm in enumerate(COMMENTS):
        assert cm["author"] in emails, (i, cm["author"])
        assert cm["clause"] in bodies, (i, cm["clause"])
        assert cm["kind"] in _KINDS, (i, cm["kind"])
        assert cm["body"].isascii(), i
        quote = cm.get("quote")
        if quote is not None:
            assert quote in bodies[cm["clause"]], (i, quote)
        if "reply_to" in cm:
            parent = cm["reply_to"]
            assert isinstance(parent, int) and 0 <= parent < i, (i, parent)
            assert "reply_to" not in COMMENTS[parent], (i, "replies must point at a thread's first comment")
            assert COMMENTS[parent]["clause"] == cm["clause"], (i, "reply must be on its parent's clause")
            assert quote is None, (i, "replies have no quote")


# Groups anyone may join by signing up in the demo (the district opens them; the others are invited).
OPEN_TO_SIGN_UP = ("families", "students", "educators", "community")
